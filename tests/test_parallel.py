"""Entity pages built on every core are the pages one core builds, and saves run beside the
build are whole when it ends (generator/parallel.py)."""

from __future__ import annotations

import os
import time

import pytest
from conftest import DEMO_SOURCES

from generator import parallel as split
from generator.parallel import in_background, split_map, wait_background, worker_count
from generator.portal import build_portal
from generator.portalmemo import PortalMemo


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_split_map_keeps_the_order_and_computes_parts_in_other_processes():
    results = split_map(_square_and_pid, list(range(1000)), workers=3, min_items=10)
    assert [r for r, _ in results] == [n * n for n in range(1000)]
    assert len({pid for _, pid in results}) == 3
    assert results[0][1] == os.getpid()  # the first part is computed here


def test_a_failing_child_costs_only_time_and_a_real_error_still_raises():
    parent = os.getpid()

    def fails_in_children(n: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("only in a child")
        return n + 1

    assert split_map(fails_in_children, list(range(50)), workers=2, min_items=10) == \
        list(range(1, 51))

    def always_fails(n: int) -> int:
        raise ValueError(f"bad {n}")

    with pytest.raises(ValueError, match="bad 0"):
        split_map(always_fails, list(range(50)), workers=2, min_items=10)


def test_small_work_and_one_worker_stay_in_this_process():
    assert {pid for _, pid in split_map(_square_and_pid, list(range(50)), workers=4)} == \
        {os.getpid()}
    assert {pid for _, pid in split_map(_square_and_pid, list(range(5000)), workers=1)} == \
        {os.getpid()}


def test_workers_follow_the_environment(monkeypatch):
    monkeypatch.setenv("PAVEDROAD_WORKERS", "3")
    assert worker_count() == 3
    monkeypatch.setenv("PAVEDROAD_WORKERS", "nonsense")
    assert worker_count() >= 1


def test_the_demo_portals_pages_and_twins_are_the_same_built_on_one_core_or_three(monkeypatch):
    monkeypatch.setattr(split, "MIN_ITEMS", 10)
    built = {}
    for workers in ("1", "3"):
        monkeypatch.setenv("PAVEDROAD_WORKERS", workers)
        pages = build_portal(DEMO_SOURCES).pages
        built[workers] = (pages.pages, pages.twins)
    assert built["1"] == built["3"]  # pages and their Markdown twins alike
    assert len(built["1"][0]) > 50 and len(built["1"][1]) > 50


def test_a_save_in_the_background_sees_the_state_it_began_with_and_is_whole_after_wait(
        tmp_path, monkeypatch):
    monkeypatch.setenv("PAVEDROAD_WORKERS", "2")
    state = ["before"]
    out = tmp_path / "saved"
    in_background(lambda: out.write_text(f"{state[0]} {os.getpid()}"))
    state[0] = "after"  # the build goes on and changes its objects: the save's are its own
    wait_background()
    text, pid = out.read_text().split()
    assert text == "before" and int(pid) != os.getpid()


def test_a_failing_background_save_costs_the_build_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("PAVEDROAD_WORKERS", "2")

    def fails() -> None:
        raise OSError("disk full")
    in_background(fails)
    wait_background()
    in_background(lambda: (tmp_path / "next").write_text("ok"))
    wait_background()
    assert (tmp_path / "next").read_text() == "ok"


def test_on_one_core_a_background_save_runs_here_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv("PAVEDROAD_WORKERS", "1")
    in_background(lambda: (tmp_path / "here").write_text(str(os.getpid())))
    assert (tmp_path / "here").read_text() == str(os.getpid())


def test_a_second_build_in_one_process_finds_the_first_ones_memo(tmp_path, monkeypatch):
    monkeypatch.setenv("PAVEDROAD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PAVEDROAD_WORKERS", "2")
    save = PortalMemo.save

    def slow_save(self, *args):  # a large organisation's memo takes seconds to write
        time.sleep(1)
        return save(self, *args)
    monkeypatch.setattr(PortalMemo, "save", slow_save)
    first = build_portal(DEMO_SOURCES)
    second = build_portal(DEMO_SOURCES)  # its memo saved by a child: waited for, not raced
    assert not first.memoised and second.memoised
    assert second.pages.pages == first.pages.pages

/* Paved Road search on Pagefind: the header box (Material's look) and the search page.
 *
 * The index is the site's own pagefind/ folder, with the entities' index merged into it
 * (pagefind.js loads only the chunks a query needs); search/jump.json is the manifest of
 * the files that list every entity's names for fuzzy "jump to" matches, of which a query
 * fetches the few it needs. The
 * engine and the manifest are fetched on first focus. Results: jump-to matches, then
 * entities (kind, owner, description), then docs pages (with their entity), then others.
 * Keys: "/" or "s" focuses the box, arrows move through results, Enter opens one,
 * Escape closes. Everything shown comes from the index and is set as text; only
 * <mark> is made from Pagefind's excerpts. No request leaves the site.
 */
(function () {
  "use strict";

  var SECTIONS = ["Entities", "Docs", "Pages"];
  var LIMITS = { Entities: 8, Docs: 5, Pages: 4 };
  var JUMPS = 5;
  /* The header box asks Pagefind once it has been still for DEBOUNCE ms, or BROAD_DEBOUNCE
   * when the query's last word begins the keys of more than BROAD_FILES files of the
   * jump-to list (thousands of names: about 1 s of Pagefind's WebAssembly at 10,000
   * components, which a later query would wait for); from MIN_QUERY characters. */
  var DEBOUNCE = 80, BROAD_DEBOUNCE = 600, BROAD_FILES = 8, MIN_QUERY = 2;
  var PAGE_SIZE = 30;
  var FACETS = ["section", "kind", "type", "owner", "lifecycle", "tier", "system", "tag"];
  var LABELS = { section: "Results", kind: "Kind", type: "Type", owner: "Owner",
    lifecycle: "Lifecycle", tier: "Tier", system: "System", tag: "Tag" };
  var FACET_VALUES = 25;

  var config = {};
  try { config = JSON.parse(document.getElementById("__config").textContent); } catch (e) { /* none */ }
  var root = new URL(String(config.base || ".").replace(/\/?$/, "/"), location.href);

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function str(value) { return typeof value === "string" ? value : ""; }

  /* A result URL from the index: a path on this site, never another origin. */
  function siteUrl(url) {
    url = str(url);
    if (url.charAt(0) !== "/" || url.charAt(1) === "/" || /[\u0000-\u0020\\]/.test(url)) return null;
    return new URL(url, location.href).href;
  }

  /* Pagefind's excerpt is escaped text with <mark> around the words found. */
  function excerpt(node, html) {
    var parts = str(html).split(/(<mark>|<\/mark>)/);
    var marked = false;
    var decode = document.createElement("textarea");  /* entities only: no elements, no scripts */
    for (var i = 0; i < parts.length; i++) {
      if (parts[i] === "<mark>") { marked = true; continue; }
      if (parts[i] === "</mark>") { marked = false; continue; }
      decode.innerHTML = parts[i];
      var text = decode.value;
      node.appendChild(marked ? el("mark", "", text) : document.createTextNode(text));
    }
    return node;
  }

  /* --- the engines, loaded once ------------------------------------------------- */

  /* Two indexes (mkdocs/pagefind.py): the pages' in pagefind/, the entities' merged into it,
   * as search/indexes.json lists (fetched beside the engine, not after it). Results are asked
   * for by section, so each section's come from one index. */
  var engine = null;
  function pagefind() {
    if (!engine) {
      var merged = fetch(new URL("search/indexes.json", root).href)
        .then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (d) { return (d && d.merge) || []; }, function () { return []; });
      engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: root.pathname, excerptLength: 24 }))
          .then(function () { return pf.init(); })
          .then(function () { return merged; })
          .then(function (urls) {
            return Promise.all(urls.map(function (url) {
              return pf.mergeIndex(new URL(url, root).href, { baseUrl: root.pathname });
            }));
          })
          .then(function () { return pf; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  /* The jump-to list (search/jump.json, pages/search_jump.py): a manifest of sorted keys'
   * files, fetched on first focus; a query fetches the few files where it, its prefixes
   * and (from four characters) its first-letter edits sort. */
  var MAX_FILES = 8;
  var manifestPromise = null, manifestKnown = null;
  function manifest() {
    if (!manifestPromise) {
      var at = new URL("search/jump.json", root);
      manifestPromise = fetch(at.href)
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (data) {
          return { at: at, kinds: Array.isArray(data.kinds) ? data.kinds : [], files: str(data.files),
            keys: Array.isArray(data.keys) ? data.keys : [], tails: Array.isArray(data.tails) ? data.tails : [] };
        });
      manifestPromise.then(function (m) { manifestKnown = m; }, function () { /* none */ });
      manifestPromise.catch(function () { manifestPromise = null; });
    }
    return manifestPromise;
  }

  function normalise(text) {
    return String(text).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").trim();
  }

  /* Index of the file holding key x: the last whose separator sorts at or before x. */
  function place(separators, x) {
    var lo = 0, hi = separators.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (str(separators[mid]) <= x) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /* The files query q needs, most telling first, at most MAX_FILES. */
  function filesFor(m, q) {
    var out = [];
    function add(list, prefix, x, next) {
      if (!list.length || !x) return;
      var i = place(list, x);
      for (var k = i; k <= i + next && k < list.length; k++) {
        var name = m.files + prefix + k + ".json";
        if (out.indexOf(name) < 0) out.push(name);
      }
    }
    add(m.keys, "k", q, 2);
    if (q.length >= 4) {
      add(m.tails, "t", q, 0);
      add(m.tails, "t", q.slice(1), 0);
      add(m.keys, "k", q.slice(1), 0);
      add(m.keys, "k", q.charAt(1) + q.charAt(0) + q.slice(2), 0);
    }
    for (var j = q.length - 1; j >= 1; j--) add(m.keys, "k", q.slice(0, j), 0);
    return out.slice(0, MAX_FILES);
  }

  /* Whether query q's last word begins the keys of more than BROAD_FILES files. */
  function broad(q) {
    var m = manifestKnown, w = normalise(q).split(/\s+/).pop();
    if (!m || !w || !m.keys.length) return false;
    return place(m.keys, w + "\uffff") - place(m.keys, w) > BROAD_FILES;
  }

  var loaded = {};
  function jumpFile(m, name) {
    if (!loaded[name]) {
      loaded[name] = fetch(new URL(name, m.at).href)
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) {
          return (Array.isArray(rows) ? rows : []).map(function (row) {
            var kind = str(m.kinds[row[0]]), ns = str(row[1]) || "default", name = str(row[2]);
            var title = str(row[3]) || name;
            var names = [title, name].concat(row.slice(4).map(str));
            return { kind: kind, name: name, title: title, keys: names.map(normalise),
              url: new URL("catalog/" + [ns, kind, name].map(encodeURIComponent).join("/") + "/",
                root).href };
          });
        });
      loaded[name].catch(function () { delete loaded[name]; });
    }
    return loaded[name];
  }

  /* The entities of every file query q needs, each once. */
  function jumpEntries(q) {
    return manifest().then(function (m) {
      return Promise.all(filesFor(m, q).map(function (name) { return jumpFile(m, name); }));
    }).then(function (files) {
      var seen = {}, out = [];
      files.forEach(function (rows) {
        rows.forEach(function (e) { if (!seen[e.url]) { seen[e.url] = true; out.push(e); } });
      });
      return out;
    });
  }

  /* Edit distance of a and b when it is at most 1, else 2. */
  function near(a, b) {
    if (Math.abs(a.length - b.length) > 1) return 2;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (i === a.length && i === b.length) return 0;
    var rest = function (x, y) { return a.slice(x) === b.slice(y) ? 1 : 2; };
    return Math.min(rest(i + 1, i + 1), rest(i + 1, i), rest(i, i + 1),
      a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2) ? 1 : 2);
  }

  var WORD = /[\p{L}\p{N}]/u;

  function score(q, s) {
    if (!s) return 0;
    if (s === q) return 100;
    var at = s.indexOf(q);
    if (at === 0) return 90 - Math.min(20, s.length - q.length) / 2;
    if (at > 0) return 70 - Math.min(at, 20);
    if (q.length < 3) return 0;
    var i = 0, gaps = 0, last = -1;
    for (var j = 0; j < s.length && i < q.length; j++) {
      if (s[j] === q[i]) { if (last >= 0) gaps += j - last - 1; last = j; i++; }
    }
    if (i === q.length && gaps <= q.length) return 40 - gaps;
    if (q.length >= 4) {
      /* one typo (edit, swap) from the start of the name or of a later word in it */
      for (var w = 0; w < s.length; w++) {
        if (w > 0 && (WORD.test(s[w - 1]) || !WORD.test(s[w]))) continue;
        for (var n = q.length - 1; n <= q.length + 1; n++) {
          if (near(q, s.slice(w, w + n)) <= 1) return w ? 30 : 35;
        }
      }
    }
    return 0;
  }

  function jumpMatches(q) {
    q = normalise(q);
    if (!q) return Promise.resolve([]);
    return jumpEntries(q).then(function (list) {
      var found = [];
      for (var i = 0; i < list.length; i++) {
        var best = 0;
        for (var k = 0; k < list[i].keys.length; k++) best = Math.max(best, score(q, list[i].keys[k]));
        if (best > 0) found.push({ entry: list[i], score: best });
      }
      found.sort(function (a, b) { return b.score - a.score || a.entry.title.localeCompare(b.entry.title); });
      return found.slice(0, JUMPS).map(function (f) { return f.entry; });
    }, function () { return []; });
  }

  /* Each section's first results (data loaded), for query q (null: filters only). */
  function sectioned(pf, q, filters, sections, limit, sort) {
    return Promise.all(sections.map(function (section) {
      var f = Object.assign({}, filters, { section: section });
      var options = { filters: f };
      if (!q && sort && section === "Entities") options.sort = { title: "asc" };
      return pf.search(q, options).then(function (search) {
        var results = (search && search.results) || [];
        var n = typeof limit === "number" ? limit : limit[section];
        return Promise.all(results.slice(0, n).map(function (r) { return r.data(); }))
          .then(function (data) { return { section: section, total: results.length, data: data }; });
      });
    }));
  }

  /* --- the header box ------------------------------------------------------------ */

  function header() {
    var box = document.querySelector("[data-pr-search]");
    var toggle = document.getElementById("__search");
    if (!box || !toggle) return;
    var input = box.querySelector(".md-search__input");
    var meta = box.querySelector(".md-search-result__meta");
    var list = box.querySelector(".md-search-result__list");
    var form = box.querySelector("form");
    var seq = 0;

    function open() {
      toggle.checked = true;
      pagefind().catch(function () { meta.textContent = "The search index could not be loaded."; });
      manifest().catch(function () { /* the jump-to list is a help, not a must */ });
    }
    function close() { toggle.checked = false; input.blur(); }
    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

    function item(href, title, kind, detail, text) {
      var li = el("li", "md-search-result__item");
      var a = el("a", "md-search-result__link");
      a.href = href;
      a.tabIndex = -1;
      var article = el("article", "md-search-result__article md-typeset");
      var heading = el("h1", "", title);
      if (kind) heading.appendChild(el("span", "pr-search-kind", kind));
      article.appendChild(heading);
      if (detail) article.appendChild(el("p", "pr-search-detail", detail));
      if (text) article.appendChild(text);
      a.appendChild(article);
      li.appendChild(a);
      return li;
    }

    function render(q, jumped, sections, complete) {
      list.textContent = "";
      var seen = {}, total = 0, known = {};
      sections.forEach(function (s) {
        if (s.section === "Entities") s.data.forEach(function (d) { known[siteUrl(d.url)] = d; });
      });
      function entity(href, d) {
        var m = d.meta || {};
        var text = el("p", "pr-search-excerpt");
        if (m.description) text.textContent = m.description; else excerpt(text, d.excerpt);
        var li = item(href, str(m.title) || href, str(m.kind), m.owner ? "Owner: " + m.owner : "", text);
        li.classList.add("pr-search-entity");
        list.appendChild(li);
      }
      jumped.forEach(function (j) {
        seen[j.url] = true;
        if (known[j.url]) entity(j.url, known[j.url]);
        else list.appendChild(item(j.url, j.title, j.kind, j.name !== j.title ? j.name : "", null));
      });
      sections.forEach(function (s) {
        total += s.total;
        s.data.forEach(function (d) {
          var href = siteUrl(d.url);
          if (!href || seen[href]) return;
          seen[href] = true;
          if (s.section === "Entities") { entity(href, d); return; }
          var m = d.meta || {};
          var text = excerpt(el("p", "pr-search-excerpt"), d.excerpt);
          list.appendChild(item(href, str(m.title) || href, "",
            s.section === "Docs" && m.entity ? "Docs of " + m.entity : "", text));
        });
      });
      var count = Math.max(total, jumped.length);
      meta.textContent = !complete ? "Searching…" : count === 0 ? "No matching results" :
        count === 1 ? "1 matching result" : count.toLocaleString("en") + " matching results";
      if (count > 0) {
        var more = el("li", "md-search-result__item pr-search-all");
        var a = el("a", "md-search-result__link", "All results and filters for “" + q + "”");
        a.href = new URL("search/?q=" + encodeURIComponent(q), root).href;
        a.tabIndex = -1;
        more.appendChild(a);
        list.appendChild(more);
      }
    }

    /* Pagefind answers one query at a time, and a short prefix is slow: "sv" matches every
     * "svc-…" name, about 1 s of WebAssembly at 10,000 components, and a query typed after
     * it waits for it. So while keys come, Pagefind only preloads the chunks a query needs
     * and searches once the box has been still (DEBOUNCE, longer for a broad prefix); only the latest query
     * waits for a running one (typing "svc-1" does not queue "s", "sv", "svc" ...); entity
     * results are shown as soon as they are in, docs and other pages after them. The
     * jump-to matches, from the few files already fetched, are shown as soon as known. */
    var running = false, waiting = null, answered = 0, timer = null;
    function full(job) {
      if (running) { waiting = job; return; }
      running = true;
      var current = function () { return job.token === seq; };
      pagefind().then(function (pf) {
        return sectioned(pf, job.q, {}, ["Entities"], LIMITS).then(function (entities) {
          if (!current()) return;
          return jumpMatches(job.q).then(function (jumped) {
            if (!current()) return;
            answered = job.token;
            render(job.q, jumped, entities, false);
            return sectioned(pf, job.q, {}, ["Docs", "Pages"], LIMITS).then(function (rest) {
              if (current()) { answered = job.token; render(job.q, jumped, entities.concat(rest), true); }
            });
          });
        });
      }).catch(function () {
        if (current()) meta.textContent = "The search index could not be loaded.";
      }).then(function () {
        running = false;
        var next = waiting;
        waiting = null;
        if (next && next.token === seq) full(next);
      });
    }

    function run() {
      var q = input.value.trim();
      var token = ++seq;
      clearTimeout(timer);
      if (!q) { list.textContent = ""; meta.textContent = "Type to start searching"; return; }
      jumpMatches(q).then(function (jumped) {
        if (token === seq && answered !== token && jumped.length) render(q, jumped, [], false);
      });
      if (q.length < MIN_QUERY) return;  /* "s" matches most of the index: the jump-to list answers */
      pagefind().then(function (pf) { return pf.preload(q); }).catch(function () { /* shown by full */ });
      timer = setTimeout(function () { full({ q: q, token: token }); }, broad(q) ? BROAD_DEBOUNCE : DEBOUNCE);
    }

    input.addEventListener("focus", open);
    input.addEventListener("input", run);
    toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
    form.addEventListener("reset", function () { setTimeout(run, 0); input.focus(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    input.addEventListener("keydown", function (e) {
      var all = links();
      if (e.key === "ArrowDown" && all.length) { e.preventDefault(); all[0].focus(); }
      else if (e.key === "Enter") { e.preventDefault(); if (all.length) location.href = all[0].href; }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    list.addEventListener("keydown", function (e) {
      var all = links(), at = all.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && at >= 0) { e.preventDefault(); (all[at + 1] || all[at]).focus(); }
      else if (e.key === "ArrowUp" && at >= 0) { e.preventDefault(); (at ? all[at - 1] : input).focus(); }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey || (e.key !== "/" && e.key !== "s")) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      open();
      input.focus();
      input.select();
    });
  }

  /* --- the search page: facets without typing ------------------------------------ */

  function searchPage() {
    var page = document.querySelector(".pr-search-page");
    if (!page) return;
    var input = page.querySelector("input[name=q]");
    var count = page.querySelector(".pr-search-count");
    var results = page.querySelector(".pr-search-results");
    var params = new URLSearchParams(location.search);
    var chosen = {};
    FACETS.forEach(function (f) { chosen[f] = params.getAll(f); });
    input.value = params.get("q") || "";
    var seq = 0;
    var ready = null;  /* every filter's values loaded once, so counts cover all facets */
    function engineWithFilters() {
      if (!ready) ready = pagefind().then(function (pf) { return pf.filters().then(function () { return pf; }); });
      return ready;
    }

    function filters(without) {
      var out = {};
      FACETS.forEach(function (f) {
        if (f !== without && chosen[f].length) out[f] = { any: chosen[f].slice() };
      });
      return out;
    }

    function drawFacets(counts) {
      FACETS.forEach(function (f) {
        var box = page.querySelector('.pr-facet[data-facet="' + f + '"]');
        if (!box) return;
        var values = Object.keys(counts[f] || {});
        chosen[f].forEach(function (v) { if (values.indexOf(v) < 0) values.push(v); });
        box.hidden = values.length === 0;
        while (box.childNodes.length > 1) box.removeChild(box.lastChild);
        values.sort(function (a, b) {
          return ((counts[f] || {})[b] || 0) - ((counts[f] || {})[a] || 0) || a.localeCompare(b);
        });
        values.slice(0, Math.max(FACET_VALUES, chosen[f].length)).forEach(function (v) {
          var label = el("label", "pr-facet-value");
          var check = el("input");
          check.type = "checkbox";
          check.name = f;
          check.value = v;
          check.checked = chosen[f].indexOf(v) >= 0;
          check.addEventListener("change", function () {
            chosen[f] = check.checked ? chosen[f].concat([v]) : chosen[f].filter(function (x) { return x !== v; });
            update();
          });
          label.appendChild(check);
          label.appendChild(document.createTextNode(" " + v + " "));
          label.appendChild(el("span", "pr-facet-count", ((counts[f] || {})[v] || 0).toLocaleString("en")));
          box.appendChild(label);
        });
        if (values.length > FACET_VALUES) {
          box.appendChild(el("p", "pr-facet-more", (values.length - FACET_VALUES).toLocaleString("en") +
            " more: type to narrow"));
        }
      });
    }

    function drawResults(sections) {
      results.textContent = "";
      var total = 0;
      sections.forEach(function (s) {
        total += s.total;
        if (!s.total) return;
        var group = el("li", "pr-search-group");
        group.appendChild(el("h2", "", s.section + " (" + s.total.toLocaleString("en") + ")"));
        var ol = el("ol");
        s.data.forEach(function (d) {
          var href = siteUrl(d.url);
          if (!href) return;
          var m = d.meta || {};
          var li = el("li", "pr-result");
          var a = el("a", "pr-result-title", str(m.title) || href);
          a.href = href;
          li.appendChild(a);
          // Spaces between the parts: read aloud or copied, a title does not run into them.
          if (s.section === "Entities" && m.kind) {
            li.append(" ", el("span", "pr-search-kind", m.kind));
          }
          var detail = s.section === "Entities" ? (m.owner ? "Owner: " + m.owner : "")
            : m.entity ? "Docs of " + m.entity : "";
          if (detail) li.append(" ", el("span", "pr-search-detail", detail));
          var p = el("p", "pr-search-excerpt");
          if (s.section === "Entities" && (m.description || !input.value.trim())) p.textContent = str(m.description);
          else excerpt(p, d.excerpt);
          li.appendChild(p);
          ol.appendChild(li);
        });
        if (s.total > s.data.length) {
          ol.appendChild(el("li", "pr-facet-more", (s.total - s.data.length).toLocaleString("en") +
            " more: add a word or a filter"));
        }
        group.appendChild(ol);
        results.appendChild(group);
      });
      return total;
    }

    function update() {
      var q = input.value.trim();
      var token = ++seq;
      var url = new URLSearchParams();
      if (q) url.set("q", q);
      FACETS.forEach(function (f) { chosen[f].forEach(function (v) { url.append(f, v); }); });
      history.replaceState(null, "", location.pathname + (url.toString() ? "?" + url : ""));
      engineWithFilters().then(function (pf) {
        var picked = FACETS.some(function (f) { return chosen[f].length; });
        var counts = q || picked ? pf.search(q || null, { filters: filters() }).then(function (s) {
          return (s && s.filters) || {};
        }) : pf.filters();
        var sections = chosen.section.length ? chosen.section : SECTIONS;
        var found = q || picked ? sectioned(pf, q || null, filters("section"), sections, PAGE_SIZE, true)
          : Promise.resolve([]);
        return Promise.all([counts, found]);
      }).then(function (r) {
        if (token !== seq) return;
        drawFacets(r[0]);
        var total = drawResults(r[1]);
        count.textContent = !q && !FACETS.some(function (f) { return chosen[f].length; })
          ? "Type a word or choose a filter." : total === 0 ? "No matching results." :
          total.toLocaleString("en") + (total === 1 ? " result." : " results.");
      }, function () {
        if (token === seq) count.textContent = "The search index could not be loaded.";
      });
    }

    page.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); update(); });
    input.addEventListener("input", update);
    update();
  }

  header();
  searchPage();
})();

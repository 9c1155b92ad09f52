/* Paved Road: client-side filters for the catalog index page.
 *
 * Expects, on the page:
 *   <div class="pr-catalog" data-src="entities.json">
 *     <form class="pr-filters">  (controls are created when missing)
 *       <input type="search" name="q">  <select name="kind|type|owner|lifecycle|tag">
 *     </form>
 *     <p class="pr-count"></p>
 *     <table class="pr-table"><thead>…</thead><tbody></tbody></table>
 *   </div>
 * All entity data is untrusted: the DOM is built with createElement/textContent
 * only, and an href is set only for relative URLs. No libraries, no requests
 * other than data-src (which must itself be relative).
 */
(function () {
  "use strict";

  var FIELDS = ["kind", "type", "owner", "lifecycle", "tag"];
  var LABELS = { kind: "Kind", type: "Type", owner: "Owner", lifecycle: "Lifecycle", tag: "Tag" };
  var PAGE = 200;
  var DESCRIPTION_LENGTH = 140;
  var MAX_TAGS = 8;
  var BADGES = { production: 1, experimental: 1, deprecated: 1 };
  var COLLATOR = new Intl.Collator("en", { sensitivity: "base", numeric: true });

  function text(value) {
    return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
  }

  /* A relative URL that can only point into this site: no scheme, no "//", nothing
   * a browser would strip or rewrite into one (whitespace, control characters, "\"). */
  function isSafeHref(url) {
    return typeof url === "string" && url !== "" && !/[\u0000-\u0020\u007f\\]/.test(url) &&
      !/^[a-z][a-z0-9+.\-]*:/i.test(url) && url.slice(0, 2) !== "//";
  }

  /* Entities as the page needs them; anything that is not an object is dropped. */
  function normalize(data) {
    var out = [];
    if (!Array.isArray(data)) return out;
    for (var i = 0; i < data.length; i++) {
      var e = data[i];
      if (!e || typeof e !== "object" || Array.isArray(e)) continue;
      var tags = Array.isArray(e.tags) ? e.tags.map(text).filter(Boolean) : [];
      var r = {
        ref: text(e.ref), name: text(e.name), title: text(e.title), kind: text(e.kind),
        type: text(e.type), owner: text(e.owner), ownerTitle: text(e.ownerTitle),
        ownerUrl: text(e.ownerUrl), lifecycle: text(e.lifecycle), tags: tags,
        titleNote: text(e.titleNote), ownerNote: text(e.ownerNote),
        description: text(e.description), url: text(e.url), system: text(e.system)
      };
      r.keys = {
        kind: r.kind.toLowerCase(), type: r.type.toLowerCase(), owner: r.owner.toLowerCase(),
        lifecycle: r.lifecycle.toLowerCase(),
        tag: tags.map(function (t) { return t.toLowerCase(); })
      };
      r.haystack = [r.ref, r.name, r.title, r.type, r.ownerTitle, r.owner, r.lifecycle,
        r.system, r.description, tags.join(" ")].join("\n").toLowerCase();
      out.push(r);
    }
    return out;
  }

  /* Filters from a query string ("?kind=component&q=pay"); unknown keys are ignored. */
  function parseQuery(search) {
    var params = new URLSearchParams(search || "");
    var filters = { q: (params.get("q") || "").trim() };
    FIELDS.forEach(function (f) { filters[f] = (params.get(f) || "").trim(); });
    return filters;
  }

  /* The query string for ``filters`` (empty ones left out), readable: ":" and "/" kept. */
  function toQuery(filters) {
    var parts = [];
    ["q"].concat(FIELDS).forEach(function (f) {
      if (filters[f]) {
        var value = encodeURIComponent(filters[f]).replace(/%3A/gi, ":").replace(/%2F/gi, "/");
        parts.push(f + "=" + value);
      }
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  /* A predicate for normalised entities: select fields match exactly (ignoring case),
   * every word of the free text must occur somewhere in the entity. */
  function matcher(filters) {
    var words = (filters.q || "").toLowerCase().split(/\s+/).filter(Boolean);
    var wanted = FIELDS.filter(function (f) { return filters[f]; }).map(function (f) {
      return [f, filters[f].toLowerCase()];
    });
    return function (e) {
      for (var i = 0; i < wanted.length; i++) {
        var key = e.keys[wanted[i][0]];
        if (wanted[i][0] === "tag" ? key.indexOf(wanted[i][1]) < 0 : key !== wanted[i][1]) {
          return false;
        }
      }
      for (var j = 0; j < words.length; j++) {
        if (e.haystack.indexOf(words[j]) < 0) return false;
      }
      return true;
    };
  }

  function filterEntities(entities, filters) {
    return entities.filter(matcher(filters));
  }

  /* Options of one select: [{value, label, count}], sorted by label. An owner whose title
   * another entity shares is labelled with its ref too. */
  function facet(entities, field) {
    var seen = new Map();
    entities.forEach(function (e) {
      var values = field === "tag" ? e.tags : [e[field]];
      values.forEach(function (value) {
        if (!value) return;
        var key = value.toLowerCase();
        var item = seen.get(key);
        if (!item) {
          var label = (field === "owner" && e.ownerTitle) || value;
          if (field === "owner" && e.ownerTitle && e.ownerNote) label += " (" + e.ownerNote + ")";
          item = { value: value, label: label, count: 0 };
          seen.set(key, item);
        }
        item.count += 1;
      });
    });
    return Array.from(seen.values()).sort(function (a, b) {
      return COLLATOR.compare(a.label, b.label) || (a.value < b.value ? -1 : 1);
    });
  }

  /* Each select's options counted among the entities the other filters leave, so a count
   * says what choosing that option would show. */
  function facets(entities, filters) {
    var out = {};
    FIELDS.forEach(function (f) {
      var others = Object.assign({}, filters);
      others[f] = "";
      out[f] = facet(filterEntities(entities, others), f);
    });
    return out;
  }

  function countText(shown, total, filtered) {
    var noun = total === 1 ? " entity" : " entities";
    var all = total.toLocaleString("en-US");
    return filtered ? shown.toLocaleString("en-US") + " of " + all + noun : all + noun;
  }

  function truncate(value, length) {
    return value.length > length ? value.slice(0, length - 1).trimEnd() + "…" : value;
  }

  /* ------------------------------------------------------------------ DOM ----- */

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function link(label, href, className) {
    if (!isSafeHref(href)) return el("span", className, label);
    var a = el("a", className, label);
    a.setAttribute("href", href);
    return a;
  }

  function control(form, field) {
    var select = form.querySelector('select[name="' + field + '"]');
    if (!select) {
      var label = el("label", "pr-filter");
      label.appendChild(el("span", "pr-filter-label", LABELS[field]));
      select = el("select");
      select.name = field;
      label.appendChild(select);
      form.appendChild(label);
    }
    return select;
  }

  function fillSelect(select, field, options) {
    var fragment = document.createDocumentFragment();
    fragment.appendChild(new Option("Any " + LABELS[field].toLowerCase(), ""));
    options.forEach(function (o) {
      var label = o.label + " (" + o.count.toLocaleString("en-US") + ")";
      fragment.appendChild(new Option(label, o.value));
    });
    select.replaceChildren(fragment);
  }

  function setSelect(select, value) {
    var wanted = value.toLowerCase();
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value.toLowerCase() === wanted) {
        select.selectedIndex = i;
        return;
      }
    }
    select.appendChild(new Option(value + " (0)", value));  // keep a filter from the URL
    select.value = value;
  }

  /* A ref in small text after a title that another entity shares. */
  function note(cell, value) {
    if (value) {
      cell.appendChild(document.createTextNode(" "));
      cell.appendChild(el("code", "pr-ref", truncate(value, 200)));
    }
  }

  function row(e) {
    var tr = el("tr");
    tr.appendChild(el("td", "pr-kind", e.kind));
    var name = el("td", "pr-name");
    var a = link(truncate(e.title || e.name || e.ref, 200), e.url);
    if (e.ref) a.title = e.ref;
    name.appendChild(a);
    note(name, e.titleNote);
    tr.appendChild(name);
    tr.appendChild(el("td", "pr-type", e.type));
    var owner = el("td", "pr-owner");
    if (e.owner) {
      owner.appendChild(link(truncate(e.ownerTitle || e.owner, 200), e.ownerUrl));
      note(owner, e.ownerNote);
    }
    tr.appendChild(owner);
    var lifecycle = el("td", "pr-lifecycle");
    if (e.lifecycle) {
      var key = e.lifecycle.toLowerCase();
      var badge = BADGES[key] === 1 ? "pr-badge pr-badge--" + key : "pr-badge";
      lifecycle.appendChild(el("span", badge, e.lifecycle));
    }
    tr.appendChild(lifecycle);
    var tags = el("td", "pr-tags");
    e.tags.slice(0, MAX_TAGS).forEach(function (t) {
      var b = el("button", "pr-tag", truncate(t, 60));
      b.type = "button";
      b.value = t;
      tags.appendChild(b);
    });
    if (e.tags.length > MAX_TAGS) {
      tags.appendChild(el("span", "pr-note", "+" + (e.tags.length - MAX_TAGS)));
    }
    tr.appendChild(tags);
    var description = el("td", "pr-description", truncate(e.description, DESCRIPTION_LENGTH));
    if (e.description.length > DESCRIPTION_LENGTH) {
      description.title = truncate(e.description, 2000);
    }
    tr.appendChild(description);
    return tr;
  }

  function init(root) {
    if (root.getAttribute("data-pr-ready")) return;
    root.setAttribute("data-pr-ready", "1");
    var form = root.querySelector("form.pr-filters") ||
      root.insertBefore(el("form", "pr-filters"), root.firstChild);
    var count = root.querySelector(".pr-count") ||
      form.parentNode.insertBefore(el("p", "pr-count"), form.nextSibling);
    var table = root.querySelector("table.pr-table");
    var tbody = table && table.tBodies[0];
    var src = root.getAttribute("data-src") || "";
    if (!tbody || !isSafeHref(src)) {
      count.textContent = "The catalog table is not set up correctly.";
      return;
    }
    if (!table.tHead || !table.tHead.rows.length) {
      var head = table.createTHead().insertRow();
      ["Kind", "Name", "Type", "Owner", "Lifecycle", "Tags", "Description"].forEach(function (h) {
        head.appendChild(el("th", null, h));
      });
    }
    var query = form.querySelector('input[name="q"]');
    if (!query) {
      query = el("input", "pr-filter-q");
      query.type = "search";
      query.name = "q";
      query.placeholder = "Filter by name, description, tag…";
      query.setAttribute("aria-label", "Filter the catalog");
      form.insertBefore(query, form.firstChild);
    }
    var selects = {};
    FIELDS.forEach(function (f) { selects[f] = control(form, f); });
    if (!form.querySelector('[type="reset"]')) {
      var reset = el("button", "pr-reset", "Clear");
      reset.type = "reset";
      form.appendChild(reset);
    }
    var more = el("button", "pr-more md-button");
    more.type = "button";
    more.hidden = true;
    table.parentNode.insertBefore(more, table.nextSibling);

    var entities = [];
    var matches = [];
    var shown = 0;
    var urlTimer = null;

    function current() {
      var filters = { q: query.value.trim() };
      FIELDS.forEach(function (f) { filters[f] = selects[f].value; });
      return filters;
    }

    function showMore() {
      var fragment = document.createDocumentFragment();
      var end = Math.min(matches.length, shown + PAGE);
      for (; shown < end; shown++) fragment.appendChild(row(matches[shown]));
      tbody.appendChild(fragment);
      var left = matches.length - shown;
      more.hidden = left <= 0;
      more.textContent = "Show " + Math.min(left, PAGE).toLocaleString("en-US") + " more (" +
        left.toLocaleString("en-US") + " not shown)";
    }

    function refill(filters) {
      var options = facets(entities, filters);
      FIELDS.forEach(function (f) {
        fillSelect(selects[f], f, options[f]);
        if (filters[f]) setSelect(selects[f], filters[f]);
      });
    }

    function apply() {
      var filters = current();
      refill(filters);
      matches = filterEntities(entities, filters);
      shown = 0;
      tbody.replaceChildren();
      if (!matches.length) {
        var td = el("td", "pr-empty", "No entities match these filters.");
        td.colSpan = 7;
        tbody.appendChild(el("tr")).appendChild(td);
      }
      showMore();
      var filtered = toQuery(filters) !== "";
      count.textContent = countText(matches.length, entities.length, filtered);
      clearTimeout(urlTimer);
      urlTimer = setTimeout(function () {
        try {
          var url = window.location.pathname + toQuery(filters) + window.location.hash;
          window.history.replaceState(window.history.state, "", url);
        } catch (err) { /* replaceState may be throttled or unavailable (file://) */ }
      }, 250);
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    more.addEventListener("click", showMore);
    tbody.addEventListener("click", function (event) {
      var tag = event.target.closest && event.target.closest("button.pr-tag");
      if (!tag) return;
      setSelect(selects.tag, tag.value);
      apply();
    });

    count.textContent = "Loading the catalog…";
    fetch(new URL(src, window.location.href), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        entities = normalize(data);
        var initial = parseQuery(window.location.search);
        query.value = initial.q;
        refill(initial);
        root.classList.add("pr-loaded");
        apply();
      })
      .catch(function (err) {
        count.textContent = "Could not load the catalog (" + err.message + ").";
      });
  }

  /* Material's search is a dialog without a name (axe: aria-dialog-name); give it one. */
  function nameSearchDialog() {
    document.querySelectorAll('.md-search[role="dialog"]').forEach(function (dialog) {
      if (!dialog.getAttribute("aria-label") && !dialog.getAttribute("aria-labelledby")) {
        dialog.setAttribute("aria-label", "Search");
      }
    });
  }

  function start() {
    nameSearchDialog();
    document.querySelectorAll(".pr-catalog").forEach(init);
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
    // With Material's instant navigation on, pages are swapped in without a load event.
    if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
      window.document$.subscribe(start);
    }
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = {
      normalize: normalize, parseQuery: parseQuery, toQuery: toQuery, matcher: matcher,
      filterEntities: filterEntities, facet: facet, facets: facets, countText: countText,
      truncate: truncate, isSafeHref: isSafeHref
    };
  }
})();

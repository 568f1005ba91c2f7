// pmsite search: the engine and its two views, the box in every page's header and the
// search page. Nothing is loaded until the box is used; then the index arrives in small
// script files (scripts load over file:// where fetch cannot), each handing its data to
// pmsiteSearch.receive. See src/render/search.rs for what the files hold.
(function () {
  "use strict";

  // The same rule as src/index/search/tokens.rs: letters and digits, joined by . _ -
  var TOKEN = /[\p{Alphabetic}\p{N}]+(?:[._\-][\p{Alphabetic}\p{N}]+)*/gu;
  var SEPARATOR = /[._\-]/;
  // Where an ASCII identifier changes case (getSockOpt, HTTPServer): is_camel_boundary.
  var CAMEL = /(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/;
  var ASCII = /^[\x00-\x7f]*$/;
  var FIELD_WEIGHT = [6, 4, 3, 2, 1.5, 1, 1, 0.6];
  var PREFIX_WEIGHT = 0.8, TYPO_WEIGHT = 0.5, WHOLE_WEIGHT = 1.5, MAX_EXPANSIONS = 12;

  var form = document.querySelector("form[data-search]");
  if (!form) return;
  var root = form.getAttribute("data-root") || "";
  var relative = form.getAttribute("data-relative") === "true";
  var manifestPath = form.getAttribute("data-manifest");

  // ---- Loading ----------------------------------------------------------------------
  var received = {}, waiting = {};
  window.pmsiteSearch = {
    // Index files asked for, site-relative: the benchmark adds up their sizes.
    files: [],
    receive: function (key, data) {
      received[key] = data;
      (waiting[key] || []).forEach(function (w) { w.resolve(data); });
      delete waiting[key];
    }
  };

  function load(key, path) {
    if (key in received) return Promise.resolve(received[key]);
    return new Promise(function (resolve, reject) {
      if (waiting[key]) { waiting[key].push({ resolve: resolve, reject: reject }); return; }
      waiting[key] = [{ resolve: resolve, reject: reject }];
      var script = document.createElement("script");
      script.src = root + path;
      window.pmsiteSearch.files.push(path);
      script.async = true;
      script.onerror = function () {
        (waiting[key] || []).forEach(function (w) { w.reject(new Error("cannot load " + path)); });
        delete waiting[key];
      };
      document.head.appendChild(script);
    });
  }

  var manifest = null, prefixes = [], hasFile = {};
  function loadManifest() {
    return load("manifest", manifestPath).then(function (m) {
      if (!manifest) {
        manifest = m;
        prefixes = m.term_files;
        prefixes.forEach(function (p) { hasFile[p] = true; });
      }
      return m;
    });
  }

  // Every index file's name ends with the version the manifest names.
  function indexFile(name) {
    return "search/" + name + "." + manifest.version + ".js";
  }

  // The same rule as file_key in tokens.rs.
  function fileKey(prefix) {
    var out = "";
    for (var c of prefix) {
      out += /[A-Za-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16);
    }
    return out;
  }

  // The file of the longest prefix that starts the word.
  function prefixOf(word) {
    var chars = Array.from(word);
    for (var n = chars.length; n > 0; n--) {
      var p = chars.slice(0, n).join("");
      if (hasFile[p]) return p;
    }
    return null;
  }

  function loadTerms(prefix) {
    if (prefix === null) return Promise.resolve({ w: [], p: {} });
    return load("t:" + prefix, indexFile("terms/" + fileKey(prefix)));
  }

  // Every file that may hold words starting with `start`.
  function filesStarting(start) {
    var own = prefixOf(start);
    var found = prefixes.filter(function (p) { return p.indexOf(start) === 0 && p !== own; });
    if (own !== null) found.push(own);
    return found;
  }

  function loadDocs(numbers) {
    var files = {};
    numbers.forEach(function (n) { files[Math.floor(n / manifest.docs_per_file)] = true; });
    return Promise.all(Object.keys(files).map(function (f) {
      return load("d:" + f, indexFile("docs/" + f));
    })).then(function () {
      return numbers.map(function (n) {
        var file = received["d:" + Math.floor(n / manifest.docs_per_file)];
        return file[n % manifest.docs_per_file];
      });
    });
  }

  var facets = null;
  function loadFacets() {
    return load("facets", indexFile("facets")).then(function (data) {
      if (!facets) facets = data.map(decodeFacet);
      return facets;
    });
  }

  function decodeFacet(facet) {
    var width = facet.wide ? 2 : 1;
    var code = function (c) { var n = c.charCodeAt(0) - 35; return n > 57 ? n - 1 : n; };
    var docs = facet.docs.split(" ").map(function (text) {
      var values = [];
      for (var i = 0; i + width <= text.length; i += width) {
        values.push(width === 1 ? code(text[i]) : code(text[i]) * 90 + code(text[i + 1]));
      }
      return values;
    });
    return { key: facet.key, label: facet.label, values: facet.values, docs: docs };
  }

  function loadVocabulary() {
    return load("vocab", indexFile("vocab"));
  }

  // ---- Queries ----------------------------------------------------------------------
  // A query is a list of tokens; an identifier keeps its parts for when it is not
  // indexed whole. The last token is a prefix while the user is still typing it.
  function parse(query) {
    var stop = manifest.stop_words;
    var tokens = [];
    var keep = function (p) { return p && stop.indexOf(p) < 0; };
    var match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(query)) !== null) {
      var written = match[0], raw = written.toLowerCase();
      if (Array.from(raw).length > 40) continue;
      var atEnd = match.index + written.length === query.length;
      if (ASCII.test(written) && CAMEL.test(written)) {
        var parts = [];
        written.split(SEPARATOR).forEach(function (piece) { parts = parts.concat(piece.split(CAMEL)); });
        tokens.push({ text: raw, parts: parts.map(function (p) { return p.toLowerCase(); }).filter(keep), prefix: atEnd });
      } else if (SEPARATOR.test(raw)) {
        tokens.push({ text: raw, parts: raw.split(SEPARATOR).filter(keep), prefix: atEnd });
      } else if (stop.indexOf(raw) < 0) {
        tokens.push({ text: raw, parts: null, prefix: atEnd });
      }
    }
    return tokens;
  }

  // Edit distance counting a swap of neighbours as one edit ("kafak" is one from
  // "kafka"), giving up as soon as it must exceed `limit`.
  function editDistanceAtMost(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return false;
    var before = null, previous = [];
    for (var j = 0; j <= b.length; j++) previous[j] = j;
    for (var i = 1; i <= a.length; i++) {
      var current = [i], best = i;
      for (j = 1; j <= b.length; j++) {
        var d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
        current[j] = d;
        if (d < best) best = d;
      }
      if (best > limit) return false;
      before = previous;
      previous = current;
    }
    return previous[b.length] <= limit;
  }

  // The terms a word may mean, each with a weight: itself, the words it starts (while
  // typing) and, when it is no word of the archive, the words one or two edits away.
  function candidates(word, prefix) {
    var found = {}, surfaces = {};
    var add = function (term, weight, surface) {
      if (!(term in found) || found[term] < weight) found[term] = weight;
      if (surface) surfaces[surface] = true;
    };
    var lookIn = function (files, test, weight, limit) {
      var hits = [];
      files.forEach(function (f) {
        var data = received["t:" + f];
        data.w.forEach(function (w) { if (test(w[0])) hits.push(w); });
        Object.keys(data.p).forEach(function (t) { if (test(t)) hits.push([t, "", 0]); });
      });
      hits.sort(function (a, b) { return b[2] - a[2] || (a[0] < b[0] ? -1 : 1); });
      hits.slice(0, limit).forEach(function (w) { add(w[1] || w[0], weight, w[0]); });
      return hits.length > 0;
    };
    var own = prefixOf(word);
    var files = prefix && word.length >= 2 ? filesStarting(word) : (own === null ? [] : [own]);
    return Promise.all(files.map(loadTerms)).then(function () {
      var exact = lookIn(files.filter(function (f) { return f === own; }), function (w) { return w === word; }, 1, 4);
      if (prefix && word.length >= 2) {
        lookIn(files, function (w) { return w !== word && w.indexOf(word) === 0; }, PREFIX_WEIGHT, MAX_EXPANSIONS);
      }
      if (exact || word.length < 4 || /\d/.test(word)) return;
      // No such word: maybe a typo of one the archive has.
      return loadVocabulary().then(function (vocabulary) {
        var limit = word.length >= 8 ? 2 : 1;
        var near = vocabulary.filter(function (v) { return editDistanceAtMost(word, v, limit); }).slice(0, 5);
        return Promise.all(near.map(function (v) { return loadTerms(prefixOf(v)); })).then(function () {
          near.forEach(function (v) {
            var file = received["t:" + prefixOf(v)];
            var entry = file && file.w.find(function (w) { return w[0] === v; });
            add(entry ? entry[1] || entry[0] : v, TYPO_WEIGHT, v);
          });
        });
      });
    }).then(function () {
      // Postings may sit in another file than the word (a stem sorts apart from it).
      var terms = Object.keys(found);
      return Promise.all(terms.map(function (t) { return loadTerms(prefixOf(t)); })).then(function () {
        return { terms: found, surfaces: Object.keys(surfaces) };
      });
    });
  }

  function postings(term) {
    var file = received["t:" + prefixOf(term)];
    return (file && file.p[term]) || null;
  }

  // doc -> score for one token: the best of its candidate terms.
  function tokenScores(token) {
    var whole = token.parts !== null;
    var lookups = [candidates(token.text, token.prefix && !whole)];
    if (whole) token.parts.forEach(function (p) { lookups.push(candidates(p, false)); });
    return Promise.all(lookups).then(function (found) {
      var highlight = [];
      found.forEach(function (f) { highlight = highlight.concat(f.surfaces); });
      var scoresOf = function (terms, boost) {
        var scores = new Map();
        Object.keys(terms).forEach(function (term) {
          var list = postings(term);
          if (!list) return;
          var doc = 0;
          for (var i = 0; i < list.length; i += 2) {
            doc += list[i];
            var s = list[i + 1] * terms[term] * boost;
            if (!(scores.get(doc) >= s)) scores.set(doc, s);
          }
        });
        return scores;
      };
      var scores = scoresOf(found[0].terms, whole ? WHOLE_WEIGHT : 1);
      if (whole && scores.size === 0 && found.length > 1) {
        // Not indexed whole: every part must match.
        scores = found.slice(1).map(function (f) { return scoresOf(f.terms, 1); }).reduce(intersect);
      }
      return { scores: scores, highlight: highlight };
    });
  }

  function intersect(a, b) {
    var out = new Map();
    a.forEach(function (s, doc) { if (b.has(doc)) out.set(doc, s + b.get(doc)); });
    return out;
  }

  // Runs a query: every token must match (if none does, any may), filtered by facets.
  // Resolves to {docs: [[doc, score]...] best first, highlight, counts}.
  function search(query, filters, withFacets) {
    return loadManifest().then(function () {
      var tokens = parse(query);
      return Promise.all([Promise.all(tokens.map(tokenScores)), withFacets ? loadFacets() : null]);
    }).then(function (results) {
      var perToken = results[0];
      var highlight = [];
      perToken.forEach(function (t) { highlight = highlight.concat(t.highlight); });
      var matched;
      if (perToken.length === 0) {
        matched = new Map();
        if (facets && Object.keys(filters).length > 0) for (var d = 0; d < manifest.docs; d++) matched.set(d, 0);
      } else {
        matched = perToken.map(function (t) { return t.scores; }).reduce(intersect);
        if (matched.size === 0 && perToken.length > 1) {
          matched = new Map();
          perToken.forEach(function (t) {
            t.scores.forEach(function (s, doc) { matched.set(doc, (matched.get(doc) || 0) + s); });
          });
        }
      }
      var passes = function (doc, except) {
        return facets.every(function (f) {
          var wanted = filters[f.key];
          if (!wanted || f.key === except) return true;
          return f.docs[doc].some(function (v) { return f.values[v][0] === wanted; });
        });
      };
      var docs = [];
      matched.forEach(function (score, doc) { if (!facets || passes(doc, null)) docs.push([doc, score]); });
      docs.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      var counts = {};
      if (facets) {
        facets.forEach(function (f) {
          var c = new Array(f.values.length).fill(0);
          matched.forEach(function (score, doc) {
            if (passes(doc, f.key)) f.docs[doc].forEach(function (v) { c[v]++; });
          });
          counts[f.key] = c;
        });
      }
      return { docs: docs, highlight: highlight, counts: counts };
    });
  }

  // The words of a text as the index has them (a test compares this with tokens.rs).
  window.pmsiteSearch.words = function (text) {
    return loadManifest().then(function () {
      var out = [];
      parse(text).forEach(function (t) {
        out.push(t.text);
        if (t.parts) out = out.concat(t.parts);
      });
      return out;
    });
  };

  // ---- Showing results --------------------------------------------------------------
  function pageOf(id, anchor) {
    return root + "incidents/" + id + "/" + (relative ? "index.html" : "") + (anchor ? "#" + anchor : "");
  }

  function matcher(highlight) {
    var words = {};
    highlight.forEach(function (w) { words[w] = true; });
    return function (token) {
      var lower = token.toLowerCase();
      return words[lower] || lower.split(SEPARATOR).some(function (p) { return words[p]; });
    };
  }

  // The passage with the most matches (title and root cause count more): its anchor is
  // the deep link, its text the snippet.
  function bestPassage(doc, isMatch) {
    var best = null, bestScore = 0;
    doc[5].forEach(function (passage) {
      var score = 0;
      (passage[2].match(TOKEN) || []).forEach(function (t) { if (isMatch(t)) score += FIELD_WEIGHT[passage[1]]; });
      if (score > bestScore) { best = passage; bestScore = score; }
    });
    return best || doc[5][0] || null;
  }

  function highlighted(text, isMatch) {
    var fragment = document.createDocumentFragment();
    var last = 0, match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null) {
      if (!isMatch(match[0])) continue;
      fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      var mark = document.createElement("mark");
      mark.textContent = match[0];
      fragment.appendChild(mark);
      last = match.index + match[0].length;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function resultItem(doc, isMatch, id) {
    var passage = bestPassage(doc, isMatch);
    var item = element("li", "search-result");
    item.id = id;
    item.setAttribute("role", "option");
    var link = element("a", "search-result-link");
    link.href = pageOf(doc[0], passage ? passage[0] : "");
    link.tabIndex = -1;
    var title = element("span", "search-result-title");
    title.appendChild(highlighted(doc[1], isMatch));
    link.appendChild(title);
    var meta = element("span", "search-result-meta");
    [doc[2], doc[3]].concat(doc[4]).forEach(function (part) {
      if (part) meta.appendChild(element("span", null, part));
    });
    link.appendChild(meta);
    if (passage) {
      var snippet = element("span", "search-result-snippet");
      snippet.appendChild(highlighted(passage[2], isMatch));
      link.appendChild(snippet);
    }
    item.appendChild(link);
    return item;
  }

  // A list of results that arrow keys walk through and Enter opens.
  function ResultList(list, input) {
    this.list = list;
    this.input = input;
    this.active = -1;
  }
  ResultList.prototype.items = function () { return this.list.querySelectorAll("[role=option]"); };
  // Down from the last result, or up from the first, returns to the input.
  ResultList.prototype.move = function (step) {
    var items = this.items();
    if (items.length === 0) return;
    var next = this.active + step;
    if (next >= items.length) next = -1;
    else if (next < -1) next = items.length - 1;
    this.active = next;
    for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", i === next ? "true" : "false");
    if (next >= 0) {
      this.input.setAttribute("aria-activedescendant", items[next].id);
      items[next].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };
  ResultList.prototype.open = function () {
    var items = this.items();
    if (this.active < 0 || this.active >= items.length) return false;
    location.href = items[this.active].querySelector("a").href;
    return true;
  };
  ResultList.prototype.reset = function () {
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
  };

  function render(list, docs, highlight, limit, prefix) {
    var isMatch = matcher(highlight);
    var numbers = docs.slice(0, limit).map(function (d) { return d[0]; });
    return loadDocs(numbers).then(function (records) {
      list.textContent = "";
      records.forEach(function (doc, i) { list.appendChild(resultItem(doc, isMatch, prefix + i)); });
    });
  }

  // Runs the newest query only: an answer to an older one is dropped.
  function latest(run) {
    var generation = 0;
    return function () {
      var mine = ++generation;
      var args = arguments;
      return run.apply(null, args).then(function (result) {
        return mine === generation ? result : null;
      });
    };
  }

  // Tests and the benchmark read how long the last search took, keystroke to results.
  function rendered(started) {
    window.pmsiteSearch.lastRender = performance.now() - started;
    window.pmsiteSearch.renders = (window.pmsiteSearch.renders || 0) + 1;
  }

  // ---- The header box ---------------------------------------------------------------
  var input = form.querySelector("input[type=search]");
  var box = form.querySelector("[data-search-results]");
  var boxList = new ResultList(box.querySelector("ul"), input);
  var boxStatus = box.querySelector("[data-search-status]");
  var onSearchPage = document.querySelector("[data-search-page]") !== null;
  var boxSearch = latest(function (query) {
    return search(query, {}, false);
  });

  function closeBox() {
    box.hidden = true;
    input.setAttribute("aria-expanded", "false");
    boxList.reset();
  }

  input.addEventListener("focus", function () { loadManifest().catch(function () {}); }, { once: true });
  if (!onSearchPage) {
    input.addEventListener("input", function () {
      var query = input.value;
      if (!query.trim()) { closeBox(); return; }
      var started = performance.now();
      boxSearch(query).then(function (result) {
        if (!result) return;
        return render(boxList.list, result.docs, result.highlight, 8, "search-box-").then(function () {
          boxStatus.textContent = result.docs.length === 0 ? "No incident matches." :
            result.docs.length + (result.docs.length === 1 ? " incident" : " incidents") + (result.docs.length > 8 ? ", best 8 shown. Enter shows all." : ".");
          box.hidden = false;
          input.setAttribute("aria-expanded", "true");
          boxList.reset();
          rendered(started);
        });
      }).catch(function (error) { boxStatus.textContent = "Search is unavailable: " + error.message; box.hidden = false; });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); boxList.move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); boxList.move(-1); }
      else if (event.key === "Enter" && boxList.open()) { event.preventDefault(); }
      else if (event.key === "Escape") {
        // First Escape closes the results (and keeps the query); the next clears it.
        if (!box.hidden) { event.preventDefault(); closeBox(); } else { input.value = ""; input.blur(); }
      }
    });
    document.addEventListener("click", function (event) { if (!form.contains(event.target)) closeBox(); });
    // Submitting opens the search page with the query (done here because browsers drop
    // the query of a form sent to a file:// address).
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      location.href = form.getAttribute("action") + (input.value.trim() ? "?q=" + encodeURIComponent(input.value.trim()) : "");
    });
  }

  // "/" focuses the search box, as on GitHub and MDN.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      (document.querySelector("[data-search-page] input[type=search]") || input).focus();
    }
  });

  // ---- The search page --------------------------------------------------------------
  var page = document.querySelector("[data-search-page]");
  if (!page) return;
  var pageInput = page.querySelector("input[type=search]");
  var pageList = new ResultList(page.querySelector("[data-results]"), pageInput);
  var status = page.querySelector("[data-search-status]");
  var facetBox = page.querySelector("[data-facets]");
  // The facets are more bytes than the rest of a first query: they load when the
  // filters are opened (or a filter comes in the address).
  var filterToggle = element("details", "facet-toggle");
  filterToggle.appendChild(element("summary", null, "Filters"));
  var facetGroups = element("div", "facet-groups");
  filterToggle.appendChild(facetGroups);
  facetBox.appendChild(filterToggle);
  var filters = {};
  var pageSearch = latest(function (query) { return search(query, filters, filterToggle.open); });
  var PAGE_SIZE = 10;
  var shown = PAGE_SIZE;
  var more = page.querySelector("[data-more]");

  var params = new URLSearchParams(location.search);
  pageInput.value = params.get("q") || "";
  ["tag", "service", "severity", "year", "open"].forEach(function (key) {
    if (params.get(key)) filters[key] = params.get(key);
  });
  filterToggle.open = Object.keys(filters).length > 0;
  filterToggle.addEventListener("toggle", function () { if (filterToggle.open) run(true); });

  function remember() {
    var parts = [];
    if (pageInput.value.trim()) parts.push("q=" + encodeURIComponent(pageInput.value.trim()));
    Object.keys(filters).sort().forEach(function (k) { parts.push(k + "=" + encodeURIComponent(filters[k])); });
    try {
      history.replaceState(null, "", location.pathname + (parts.length ? "?" + parts.join("&") : ""));
    } catch (e) { /* a file:// page may refuse; the search still works */ }
  }

  function drawFacets(counts) {
    facetGroups.textContent = "";
    (facets || []).forEach(function (facet) {
      var c = counts[facet.key] || [];
      var order = facet.values.map(function (v, i) { return i; })
        .filter(function (i) { return c[i] > 0 || filters[facet.key] === facet.values[i][0]; });
      if (order.length === 0) return;
      var group = element("fieldset", "facet");
      group.appendChild(element("legend", null, facet.label));
      var list = element("ul");
      order.slice(0, 12).forEach(function (i) {
        var value = facet.values[i];
        var on = filters[facet.key] === value[0];
        var item = element("li");
        var button = element("button", "facet-value" + (on ? " on" : ""));
        button.type = "button";
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.setAttribute("data-facet", facet.key);
        button.setAttribute("data-value", value[0]);
        button.appendChild(element("span", "facet-name", value[1]));
        button.appendChild(element("span", "facet-count", String(c[i])));
        button.addEventListener("click", function () {
          if (on) delete filters[facet.key]; else filters[facet.key] = value[0];
          run();
        });
        item.appendChild(button);
        list.appendChild(item);
      });
      group.appendChild(list);
      facetGroups.appendChild(group);
    });
  }

  function run(keepShown) {
    if (!keepShown) shown = PAGE_SIZE;
    remember();
    var query = pageInput.value;
    var started = performance.now();
    return pageSearch(query).then(function (result) {
      if (!result) return;
      drawFacets(result.counts);
      if (!query.trim() && Object.keys(filters).length === 0) {
        pageList.list.textContent = "";
        status.textContent = "Type to search " + manifest.docs + " incidents.";
        more.hidden = true;
        rendered(started);
        return;
      }
      return render(pageList.list, result.docs, result.highlight, shown, "search-result-").then(function () {
        var n = result.docs.length;
        status.textContent = n === 0 ? "No incident matches." : n + (n === 1 ? " incident matches." : " incidents match.");
        more.hidden = n <= shown;
        pageList.reset();
        rendered(started);
      });
    }).catch(function (error) { status.textContent = "Search is unavailable: " + error.message; });
  }

  page.querySelector("form").addEventListener("submit", function (event) { event.preventDefault(); run(); });
  pageInput.addEventListener("input", function () { run(); });
  pageInput.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); pageList.move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); pageList.move(-1); }
    else if (event.key === "Enter" && pageList.open()) { event.preventDefault(); }
    else if (event.key === "Escape") { pageInput.value = ""; run(); }
  });
  more.addEventListener("click", function () { shown += PAGE_SIZE; run(true); });
  page.querySelector("[data-search-form]").hidden = false;
  run();
})();

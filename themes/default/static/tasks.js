// Filters for the task dashboard. The page lists every task without JavaScript; this
// only hides rows that do not match, keeps the counts honest and puts the filters in the
// address (?owner=alice&status=overdue) so a filtered view can be shared.
(function () {
  "use strict";
  var form = document.querySelector("[data-task-filters]");
  if (!form) return;
  var names = ["owner", "status", "tag", "service", "year"];
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-group]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section[data-group]"));
  var counter = form.querySelector("[data-filter-count]");

  function hasWord(list, word) {
    return (" " + list + " ").indexOf(" " + word + " ") >= 0;
  }

  function matches(row, filters) {
    var group = row.getAttribute("data-group");
    var owner = row.getAttribute("data-owner");
    if (filters.owner && (filters.owner === "-" ? owner !== "" : owner !== filters.owner)) return false;
    if (filters.status === "open" && (group === "done" || group === "wont_do")) return false;
    if (filters.status && filters.status !== "open" && group !== filters.status) return false;
    if (filters.tag && !hasWord(row.getAttribute("data-tags"), filters.tag)) return false;
    if (filters.service && !hasWord(row.getAttribute("data-services"), filters.service)) return false;
    if (filters.year && row.getAttribute("data-year") !== filters.year) return false;
    return true;
  }

  function current() {
    var filters = {};
    names.forEach(function (name) { filters[name] = form.elements[name].value; });
    return filters;
  }

  function apply(rememberInAddress) {
    var filters = current();
    var shown = 0;
    rows.forEach(function (row) {
      var keep = matches(row, filters);
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    sections.forEach(function (section) {
      var visible = section.querySelectorAll("tr[data-group]:not([hidden])").length;
      var fold = section.closest("details");
      var counts = (fold || section).querySelectorAll("[data-group-count]");
      Array.prototype.forEach.call(counts, function (count) { count.textContent = visible; });
      var table = section.querySelector("table");
      var none = section.querySelector("[data-none-match]");
      if (table) table.hidden = visible === 0;
      if (none) none.hidden = visible > 0;
      // Asking for done or won't-do tasks unfolds them.
      if (fold && filters.status === section.getAttribute("data-group")) fold.open = true;
    });
    var active = names.some(function (name) { return filters[name] !== ""; });
    counter.textContent = active
      ? shown + " of " + rows.length + (rows.length === 1 ? " task matches" : " tasks match")
      : rows.length + (rows.length === 1 ? " task" : " tasks");
    if (rememberInAddress) {
      var query = names
        .filter(function (name) { return filters[name] !== ""; })
        .map(function (name) { return name + "=" + encodeURIComponent(filters[name]); })
        .join("&");
      try {
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      } catch (e) {
        // Some browsers refuse to change the address of a file:// page; filtering still works.
      }
    }
  }

  var params = new URLSearchParams(location.search);
  names.forEach(function (name) {
    var wanted = params.get(name);
    var select = form.elements[name];
    if (wanted !== null && Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) {
      select.value = wanted;
    }
  });
  form.hidden = false;
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply(false);
})();

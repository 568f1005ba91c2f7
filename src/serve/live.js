// pmsite serve: reloads the page when a rebuild changes it, and shows the build's
// errors over the page until they are fixed. Served only by `pmsite serve`.
(function () {
  "use strict";
  var script = document.currentScript;
  var since = script ? script.getAttribute("data-generation") : "0";
  var box = null;

  function showOverlay(text) {
    if (!text) {
      if (box) { box.remove(); box = null; }
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "pmsite-overlay";
      box.setAttribute("role", "alertdialog");
      box.setAttribute("aria-label", "Build problems");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,24,.94);color:#f3f3f3;padding:2rem;font:14px/1.5 ui-monospace,monospace";
      var title = document.createElement("h2");
      title.textContent = "pmsite: the last build has problems";
      title.style.cssText = "margin:0 0 1rem;color:#ff8a80;font:600 18px system-ui,sans-serif";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Hide";
      close.style.cssText = "float:right;font:inherit";
      close.addEventListener("click", function () { box.style.display = "none"; });
      var pre = document.createElement("pre");
      // Set in full: the theme's own styles for pre must not show through.
      pre.style.cssText = "white-space:pre-wrap;margin:0;padding:1rem;border:0;border-radius:6px;" +
        "background:#0b0b0e;color:#f3f3f3;font:13px/1.5 ui-monospace,monospace;box-shadow:none";
      box.append(close, title, pre);
      document.body.appendChild(box);
    }
    box.style.display = "";
    box.querySelector("pre").textContent = text;
  }

  function poll(now) {
    var url = "/__pmsite/live?since=" + encodeURIComponent(since) +
      "&page=" + encodeURIComponent(location.pathname) + (now ? "&now=1" : "");
    fetch(url, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.reload) { location.reload(); return; }
        since = String(state.generation);
        showOverlay(state.overlay);
        poll(false);
      })
      .catch(function () {
        // The server restarted or stopped: try again a little later.
        setTimeout(function () { poll(true); }, 1000);
      });
  }

  poll(true);
})();

// Keyboard moves through the site: j/k through a listing, o or Enter to open, s to
// save (through reader.js's Save buttons), ? for a help dialog. "/" (search) is
// search.js's. Nothing here runs while the reader types in a field or searches.
(function () {
  "use strict";

  var current = -1;

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("article li[data-paper]"));
  }

  function focusItem(n) {
    var all = items();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, n));
    all.forEach(function (item) { item.classList.remove("digest-current"); });
    var item = all[current];
    item.classList.add("digest-current");
    var link = item.querySelector("strong a") || item.querySelector("a");
    if (link) link.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function help() {
    var dialog = document.getElementById("digest-help");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "digest-help";
      dialog.className = "md-typeset";
      dialog.setAttribute("aria-labelledby", "digest-help-title");
      var keys = [["j / k", "next / previous paper in a list"], ["o or Enter", "open that paper"],
        ["s", "save or unsave it (on a paper page: this paper)"], ["/", "search"], ["?", "this help"],
        ["Esc", "close"]];
      var title = document.createElement("h2");
      title.id = "digest-help-title";
      title.textContent = "Keyboard shortcuts";
      var list = document.createElement("dl");
      keys.forEach(function (pair) {
        var dt = document.createElement("dt");
        var kbd = document.createElement("kbd");
        kbd.textContent = pair[0];
        dt.appendChild(kbd);
        var dd = document.createElement("dd");
        dd.textContent = pair[1];
        list.append(dt, dd);
      });
      var close = document.createElement("button");
      close.type = "button";
      close.className = "md-button";
      close.textContent = "Close";
      close.addEventListener("click", function () { dialog.close(); });
      dialog.append(title, list, close);
      document.body.appendChild(dialog);
    }
    if (!dialog.open) dialog.showModal();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) return;
    var search = document.getElementById("__search");
    if (search && search.checked) return;
    var all = items();
    if (event.key === "j" || event.key === "k") {
      if (!all.length) return;
      event.preventDefault();
      focusItem(current < 0 ? 0 : current + (event.key === "j" ? 1 : -1));
    } else if (event.key === "o" || (event.key === "Enter" && current >= 0 && document.activeElement === document.body)) {
      var item = all[current];
      var link = item && (item.querySelector("strong a") || item.querySelector("a"));
      if (link) { event.preventDefault(); link.click(); }
    } else if (event.key === "s") {
      var target = all[current] ? all[current].querySelector("[data-save]") : document.querySelector(".digest-actions [data-save]");
      if (target) { event.preventDefault(); target.click(); }
    } else if (event.key === "?") {
      event.preventDefault();
      help();
    }
  });

})();

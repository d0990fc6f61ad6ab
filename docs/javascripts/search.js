// Search box in Material's header, backed by Pagefind's chunked index.
// Pagefind is loaded on first use from this site (pagefind/pagefind.js), and
// fetches only the index chunks a query needs. Results use Material's markup.
(function () {
  "use strict";

  var pagefind = null;
  var latest = 0;

  function siteBase() {
    // Material writes the relative path to the site root into #__config on
    // every page, and instant navigation keeps it current.
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  function load() {
    if (!pagefind) {
      var url = new URL("pagefind/pagefind.js", siteBase()).href;
      // Result URLs are made from the site root, which is a sub-folder when
      // the site is published as a GitHub Pages project site.
      var baseUrl = siteBase().pathname;
      pagefind = import(url).then(function (module) {
        return Promise.resolve(module.options({ baseUrl: baseUrl })).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(form, query, results, total) {
    var box = form.closest(".md-search__inner");
    var meta = box.querySelector(".md-search-result__meta");
    var list = box.querySelector(".md-search-result__list");
    list.replaceChildren();
    if (!query) {
      meta.textContent = "Type to search titles and abstracts";
      return;
    }
    meta.textContent = total === 0 ? "No matching papers" :
      total === 1 ? "1 matching page" : total + " matching pages";
    results.forEach(function (result) {
      var item = element("li", "md-search-result__item");
      var link = element("a", "md-search-result__link");
      link.href = result.url;
      var article = element("article", "md-search-result__article md-typeset");
      article.appendChild(element("h1", null, result.meta && result.meta.title ? result.meta.title : result.url));
      // The page's description (a paper's first sentence, a topic's scope).
      // Pagefind's excerpt would come from the indexed text, which for a
      // paper is its abstract's words once each, not readable prose.
      var description = result.meta && result.meta.description;
      article.appendChild(element("p", null, description || ""));
      link.appendChild(article);
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  function search(form) {
    var query = form.query.value.trim();
    var ticket = ++latest;
    if (!query) {
      render(form, "", [], 0);
      return;
    }
    load().then(function (pf) {
      return pf.debouncedSearch(query, {}, 150);
    }).then(function (found) {
      if (found === null || ticket !== latest) return null;
      return Promise.all(found.results.slice(0, 10).map(function (r) { return r.data(); }))
        .then(function (data) { if (ticket === latest) render(form, query, data, found.results.length); });
    }).catch(function (error) {
      form.closest(".md-search__inner").querySelector(".md-search-result__meta").textContent =
        "Search is not available: " + error.message;
    });
  }

  function toggle() { return document.getElementById("__search"); }

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-digest-search")) search(form);
  });

  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-digest-search")) {
      event.preventDefault();
      var first = event.target.closest(".md-search__inner").querySelector(".md-search-result__link");
      if (first) first.click();
    }
  });

  document.addEventListener("reset", function (event) {
    if (event.target.hasAttribute("data-digest-search")) render(event.target, "", [], 0);
  });

  document.addEventListener("change", function (event) {
    // Opening the search overlay (Material's __search toggle) focuses the box.
    if (event.target === toggle() && event.target.checked) {
      var input = document.querySelector("[data-digest-search] .md-search__input");
      if (input) setTimeout(function () { input.focus(); }, 50);
    }
  });

  document.addEventListener("focusin", function (event) {
    // Focusing the header's search box opens the results panel, as in Material.
    if (event.target.closest && event.target.closest("[data-digest-search]") && toggle() && !toggle().checked) {
      toggle().checked = true;
    }
  });

  document.addEventListener("click", function (event) {
    // Following a result closes the overlay, also under instant navigation.
    if (event.target.closest(".md-search-result__link") && toggle()) toggle().checked = false;
  });

  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if ((event.key === "/" || event.key === "s") && !typing && toggle()) {
      event.preventDefault();
      toggle().checked = true;
      toggle().dispatchEvent(new Event("change", { bubbles: true }));
    } else if (event.key === "Escape" && toggle() && toggle().checked) {
      toggle().checked = false;
      document.activeElement.blur();
    }
  });
})();

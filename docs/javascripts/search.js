// Search box in Material's header, backed by Pagefind's chunked index.
// Pagefind is loaded on first use from this site (pagefind/pagefind.js), and
// fetches only the index chunks a query needs. Results use Material's markup;
// each shows Pagefind's excerpt with the matched words marked, ten at a time
// with "Show more", and can be narrowed by topic and digest or sorted by date.
(function () {
  "use strict";

  var PAGE = 10;
  var pagefind = null;
  var latest = 0;
  var shown = { results: [], count: 0 };

  function siteBase() {
    // Material writes the relative path to the site root into #__config on every page.
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  function load() {
    if (!pagefind) {
      var url = new URL("pagefind/pagefind.js", siteBase()).href;
      // Result URLs are made from the site root, which is a sub-folder when
      // the site is published as a GitHub Pages project site. A word in a
      // title counts for more than the same word in an abstract.
      var options = { baseUrl: siteBase().pathname, ranking: { metaWeights: { title: 10.0 } } };
      pagefind = import(url).then(function (module) {
        return Promise.resolve(module.options(options)).then(function () { return module; });
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

  // Pagefind's excerpt is HTML; only its text and <mark> elements are kept,
  // read in an inert document, so no markup of an abstract can come alive.
  function excerpt(html) {
    var parsed = new DOMParser().parseFromString("<p>" + (html || "") + "</p>", "text/html");
    var out = element("p", "digest-excerpt");
    parsed.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeType === 3) out.appendChild(document.createTextNode(node.textContent));
      else if (node.nodeName === "MARK") out.appendChild(element("mark", null, node.textContent));
      else out.appendChild(document.createTextNode(node.textContent));
    });
    return out;
  }

  function panel(form) { return form.closest(".md-search__inner"); }

  function status(form, text) { panel(form).querySelector(".md-search-result__meta").textContent = text; }

  function item(data) {
    var li = element("li", "md-search-result__item");
    var link = element("a", "md-search-result__link");
    link.href = data.url;
    var article = element("article", "md-search-result__article md-typeset");
    article.appendChild(element("h1", null, data.meta && data.meta.title ? data.meta.title : data.url));
    article.appendChild(excerpt(data.excerpt));
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  function more(form, ticket) {
    var list = panel(form).querySelector(".md-search-result__list");
    var old = list.querySelector(".digest-more");
    var start = list.querySelectorAll(".md-search-result__link").length;
    var next = shown.results.slice(start, start + PAGE);
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (data) {
      if (ticket !== latest) return;
      if (old) old.remove();
      data.forEach(function (d) { list.appendChild(item(d)); });
      var listed = start + data.length;
      if (listed < shown.count) {
        var li = element("li", "md-search-result__item digest-more");
        var button = element("button", "md-button", "Show more (" + (shown.count - listed) + " left)");
        button.type = "button";
        button.addEventListener("click", function () {
          more(form, ticket).then(function () {
            var links = list.querySelectorAll(".md-search-result__link");
            if (links[listed]) links[listed].focus();
          });
        });
        li.appendChild(button);
        list.appendChild(li);
      }
    });
  }

  function choices(form) {
    var filters = {};
    var options = {};
    ["topic", "digest"].forEach(function (name) {
      var select = panel(form).querySelector("[data-filter=" + name + "]");
      if (select && select.value) filters[name] = select.value;
    });
    if (Object.keys(filters).length) options.filters = filters;
    var sort = panel(form).querySelector("[data-sort]");
    if (sort && sort.value) options.sort = { date: sort.value };
    return options;
  }

  function fillFilters(form, pf) {
    var bar = panel(form).querySelector(".digest-search-options");
    if (!bar || bar.getAttribute("data-filled")) return;
    bar.setAttribute("data-filled", "");
    Promise.resolve(pf.filters()).then(function (all) {
      ["topic", "digest"].forEach(function (name) {
        var select = bar.querySelector("[data-filter=" + name + "]");
        Object.keys(all[name] || {}).sort().forEach(function (value) {
          var option = element("option", null, value + " (" + all[name][value] + ")");
          option.value = value;
          select.appendChild(option);
        });
      });
      bar.hidden = false;
    });
  }

  function search(form) {
    var query = form.query.value.trim();
    var ticket = ++latest;
    var list = panel(form).querySelector(".md-search-result__list");
    if (!query) {
      list.replaceChildren();
      status(form, "Type to search titles and abstracts");
      return;
    }
    load().then(function (pf) {
      fillFilters(form, pf);
      return pf.debouncedSearch(query, choices(form), 150);
    }).then(function (found) {
      if (found === null || ticket !== latest) return null;
      shown = { results: found.results, count: found.results.length };
      list.replaceChildren();
      status(form, shown.count === 0 ? "No matching pages" :
        shown.count === 1 ? "1 matching page" : shown.count + " matching pages");
      return more(form, ticket);
    }).catch(function (error) {
      status(form, "Search is not available: " + error.message);
    });
  }

  function toggle() { return document.getElementById("__search"); }

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-digest-search")) search(form);
  });

  document.addEventListener("change", function (event) {
    var options = event.target.closest && event.target.closest(".digest-search-options");
    if (options) search(options.closest(".md-search__inner").querySelector("[data-digest-search]"));
    // Opening the search overlay (Material's __search toggle) focuses the box.
    if (event.target === toggle() && event.target.checked) {
      var input = document.querySelector("[data-digest-search] .md-search__input");
      if (input) setTimeout(function () { input.focus(); }, 50);
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-digest-search")) {
      event.preventDefault();
      var first = panel(event.target).querySelector(".md-search-result__link");
      if (first) first.click();
    }
  });

  document.addEventListener("reset", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-digest-search")) setTimeout(function () { search(form); }, 0);
  });

  document.addEventListener("focusin", function (event) {
    // Focusing the header's search box opens the results panel, as in Material.
    if (event.target.closest && event.target.closest("[data-digest-search]") && toggle() && !toggle().checked) {
      toggle().checked = true;
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest(".md-search-result__link") && toggle()) toggle().checked = false;
  });

  // Arrow keys move between the box and the results; Enter follows a result.
  function move(event) {
    var inner = event.target.closest && event.target.closest(".md-search__inner");
    if (!inner || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) return false;
    var links = Array.prototype.slice.call(inner.querySelectorAll(".md-search-result__link, .digest-more button"));
    var input = inner.querySelector(".md-search__input");
    var at = links.indexOf(document.activeElement);
    if (event.target.tagName === "SELECT") return false;
    event.preventDefault();
    var next = event.key === "ArrowDown" ? at + 1 : at - 1;
    if (next < 0) input.focus();
    else if (next < links.length) { links[next].focus(); links[next].scrollIntoView({ block: "nearest" }); }
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (move(event)) return;
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && toggle()) {
      event.preventDefault();
      toggle().checked = true;
      // Focus now, not after the overlay's change handler: keys typed at once must land in the box.
      var input = document.querySelector("[data-digest-search] .md-search__input");
      if (input) input.focus();
      toggle().dispatchEvent(new Event("change", { bubbles: true }));
    } else if (event.key === "Escape" && toggle() && toggle().checked) {
      toggle().checked = false;
      document.activeElement.blur();
    }
  });
})();

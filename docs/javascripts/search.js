// Search box in Material's header, backed by Pagefind's chunked index.
// Pagefind is loaded on first use from this site (pagefind/pagefind.js), and
// fetches only the index chunks a query needs. Results use Material's markup;
// each shows Pagefind's excerpt with the matched words marked, ten at a time
// with "Show more", and can be narrowed by topic and digest or sorted by date.
//
// A large archive has one index per earlier year beside the main one (the
// newest year and the other pages), named in pagefind/bundles.json. A search
// covers the newest year until the reader picks another year or all years;
// only then are those indexes fetched and merged into Pagefind's.
(function () {
  "use strict";

  var PAGE = 10;
  // A word in a title counts for more than the same word in an abstract (every index, merged or not).
  var RANKING = { metaWeights: { title: 10.0 } };
  var pagefind = null;
  var bundles = { main: "", older: [] };
  var merged = {};
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
      // the site is published as a GitHub Pages project site.
      var options = { baseUrl: siteBase().pathname, ranking: RANKING };
      var listed = fetch(new URL("pagefind/bundles.json", siteBase())).then(function (response) {
        return response.ok ? response.json() : bundles;
      }).catch(function () { return bundles; });
      pagefind = Promise.all([import(url), listed]).then(function (loaded) {
        var module = loaded[0];
        bundles = loaded[1];
        // Every page of an index carries its year as a filter, so that merged indexes can be told apart.
        if (bundles.older.length) options.mergeFilter = { year: bundles.main };
        return Promise.resolve(module.options(options)).then(function () { return module; });
      });
    }
    return pagefind;
  }

  // Fetch and merge the indexes of these earlier years, once each.
  function merge(pf, years) {
    return Promise.all(years.map(function (year) {
      if (!merged[year]) {
        merged[year] = pf.mergeIndex(new URL("pagefind/" + year + "/", siteBase()).pathname, {
          baseUrl: siteBase().pathname, ranking: RANKING, mergeFilter: { year: year }
        });
      }
      return merged[year];
    }));
  }

  function yearChoice(form) {
    var select = panel(form).querySelector("[data-year]");
    return bundles.older.length && select ? select.value : "";
  }

  // The years one search asks for: all of them ("all"), one, or the newest.
  function yearsOf(choice) {
    if (choice === "all") return [bundles.main].concat(bundles.older);
    return [choice || bundles.main];
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

  function labelledSelect(label, attribute, options) {
    var wrap = element("label", null, label + " ");
    var select = element("select");
    select.setAttribute(attribute[0], attribute[1] || "");
    options.forEach(function (pair) {
      select.appendChild(Object.assign(element("option", null, pair[1]), { value: pair[0] }));
    });
    wrap.appendChild(select);
    return wrap;
  }

  // The choices under the box, made on first search rather than shipped in every page.
  function optionsBar(form) {
    var output = panel(form).querySelector(".md-search__output");
    var bar = output.querySelector(".digest-search-options");
    if (bar) return bar;
    bar = element("div", "digest-search-options");
    bar.hidden = true;
    // The topic and digest lists are Pagefind's filter files (tens of KB at a large
    // archive): fetched when the reader asks for them, not on every first search.
    var open = element("button", "digest-filter-open", "Filter by topic or digest");
    open.type = "button";
    open.setAttribute("aria-expanded", "false");
    open.addEventListener("click", function () {
      bar.setAttribute("data-filters-open", "");
      open.setAttribute("aria-expanded", "true");
      load().then(function (pf) { return fillFilters(form, pf); }).then(function () {
        open.hidden = true;
        bar.querySelector("[data-filter=topic]").focus();
      });
    });
    bar.appendChild(open);
    [["Topic", "topic", "Any topic"], ["Digest", "digest", "Any digest"]].forEach(function (filter) {
      var label = labelledSelect(filter[0], ["data-filter", filter[1]], [["", filter[2]]]);
      label.hidden = true;
      bar.appendChild(label);
    });
    var years = labelledSelect("Year", ["data-year"], [["", "Newest year"]]);
    years.setAttribute("data-years", "");
    years.hidden = true;
    bar.appendChild(years);
    bar.appendChild(labelledSelect("Order", ["data-sort"],
      [["", "Best match"], ["desc", "Newest first"], ["asc", "Oldest first"]]));
    output.insertBefore(bar, output.firstChild);
    // Shown when the archive has an index per earlier year and a search covers only the newest.
    var offer = element("p", "digest-all-years");
    offer.setAttribute("data-all-years", "");
    offer.hidden = true;
    var button = element("button", "md-button");
    button.type = "button";
    offer.appendChild(button);
    var meta = panel(form).querySelector(".md-search-result__meta");
    meta.parentNode.insertBefore(offer, meta.nextSibling);
    return bar;
  }

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

  // With a year: only that index's pages (the main one's when the year is the newest).
  function inYear(options, year) {
    if (!bundles.older.length) return options;
    var copy = { filters: Object.assign({}, options.filters || {}, { year: year }) };
    if (options.sort) copy.sort = options.sort;
    return copy;
  }

  function fillYears(bar) {
    var label = bar.querySelector("[data-years]");
    if (!label || !bundles.older.length || !label.hidden) return;
    var select = label.querySelector("[data-year]");
    select.options[0].textContent = bundles.main + " (newest)";
    select.appendChild(Object.assign(element("option", null, "All years"), { value: "all" }));
    bundles.older.forEach(function (year) {
      select.appendChild(Object.assign(element("option", null, year), { value: year }));
    });
    label.hidden = false;
  }

  // The topic and digest lists, once the reader has opened them: counted over the
  // indexes loaded so far, and again after each merge.
  function fillFilters(form, pf) {
    var bar = optionsBar(form);
    fillYears(bar);
    bar.hidden = false;
    var loaded = String(Object.keys(merged).length + 1);
    if (!bar.hasAttribute("data-filters-open") || bar.getAttribute("data-filled") === loaded) return Promise.resolve();
    bar.setAttribute("data-filled", loaded);
    return Promise.resolve(pf.filters()).then(function (all) {
      ["topic", "digest"].forEach(function (name) {
        var select = bar.querySelector("[data-filter=" + name + "]");
        var chosen = select.value;
        while (select.options.length > 1) select.remove(1);
        Object.keys(all[name] || {}).sort().forEach(function (value) {
          var option = element("option", null, value + " (" + all[name][value] + ")");
          option.value = value;
          select.appendChild(option);
        });
        select.value = chosen;
        select.parentNode.hidden = false;
      });
    });
  }

  // Pagefind's own debouncedSearch preloads the index for the query of every
  // keystroke, so typing "sparse attention" also fetched the chunks of every word
  // that starts with "s", "a" or "at" on the way (at 10,000 papers the "a" words
  // alone are 70 KB). Here a query is preloaded only once its last word has
  // PRELOAD_FROM letters, and searched when typing pauses.
  var PAUSE = 150;
  var PRELOAD_FROM = 3;

  // Null when a newer keystroke has started another search (its ticket, see search).
  function debouncedSearch(pf, query, options) {
    var ticket = latest;
    var words = query.split(/\s+/);
    if (words[words.length - 1].length >= PRELOAD_FROM) pf.preload(query, options);
    return new Promise(function (resolve) { setTimeout(resolve, PAUSE); }).then(function () {
      return ticket === latest ? pf.search(query, options) : null;
    });
  }

  // The results over the chosen years. Pagefind orders merged results by score
  // even when sorting, so a date order over several years is one search per
  // year, newest year first (or last), each in date order. And a date order
  // leaves out the pages without a date: they follow, in best-match order, so
  // that every order lists the same pages.
  function find(pf, query, options, years) {
    var plain = options.filters ? { filters: options.filters } : {};
    if (years.length === 1) plain = inYear(plain, years[0]);
    if (!options.sort) return debouncedSearch(pf, query, plain);
    var order = options.sort.date === "asc" ? years.slice().reverse() : years;
    return debouncedSearch(pf, query, plain).then(function (best) {
      if (best === null) return null;
      return Promise.all(order.map(function (year) { return pf.search(query, inYear(options, year)); }))
        .then(function (sorted) {
          var results = sorted.reduce(function (all, found) { return all.concat(found.results); }, []);
          var dated = new Set(results.map(function (result) { return result.id; }));
          return { results: results.concat(best.results.filter(function (result) { return !dated.has(result.id); })) };
        });
    });
  }

  function describe(count, choice) {
    var pages = count === 0 ? "No matching pages" : count === 1 ? "1 matching page" : count + " matching pages";
    if (!bundles.older.length) return pages;
    return pages + (choice === "all" ? " in all years" : " in " + (choice || bundles.main));
  }

  // Above the newest year's results: the way to the earlier years.
  function offerAllYears(form) {
    var offer = panel(form).querySelector("[data-all-years]");
    if (!offer) return;
    offer.hidden = !bundles.older.length || Boolean(yearChoice(form));
    if (offer.hidden) return;
    var oldest = bundles.older[bundles.older.length - 1];
    var span = oldest === bundles.older[0] ? oldest : oldest + "–" + bundles.older[0];
    offer.querySelector("button").textContent = "Search earlier years too (" + span + ")";
  }

  function search(form) {
    var query = form.query.value.trim();
    var ticket = ++latest;
    var list = panel(form).querySelector(".md-search-result__list");
    if (!query) {
      list.replaceChildren();
      var offer = panel(form).querySelector("[data-all-years]");
      if (offer) offer.hidden = true;
      status(form, "Type to search titles and abstracts");
      return;
    }
    var choice;
    load().then(function (pf) {
      choice = yearChoice(form);
      var years = yearsOf(choice);
      return merge(pf, years.filter(function (year) { return year !== bundles.main; })).then(function () {
        fillFilters(form, pf);
        return find(pf, query, choices(form), years);
      });
    }).then(function (found) {
      if (found === null || ticket !== latest) return null;
      shown = { results: found.results, count: found.results.length };
      list.replaceChildren();
      status(form, describe(shown.count, choice));
      offerAllYears(form);
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

  document.addEventListener("click", function (event) {
    var offer = event.target.closest && event.target.closest("[data-all-years]");
    if (!offer) return;
    var inner = offer.closest(".md-search__inner");
    inner.querySelector("[data-year]").value = "all";
    search(inner.querySelector("[data-digest-search]"));
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

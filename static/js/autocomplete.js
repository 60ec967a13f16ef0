// Searchable choices (toolkit/autocomplete.py): each <select data-autocomplete-url> becomes
// Tom Select's ARIA combobox, fed by the permission-checked JSON endpoint it names. The
// <select> stays in the form and is what gets submitted. Tom Select (fetched from the npm
// registry by tools/fetch_assets.py into static/vendor/tom-select/) is loaded only on pages
// that have such a select.
(function () {
  "use strict";
  var loader = document.currentScript;
  var selects = document.querySelectorAll("select[data-autocomplete-url]");
  if (!selects.length || !loader) {
    return;
  }

  function start(select) {
    var url = select.getAttribute("data-autocomplete-url");
    var multiple = select.multiple;
    var settings = {
      valueField: "value",
      labelField: "text",
      searchField: [], // the server searches; show what it found, in its order
      score: function () {
        return function () {
          return 1;
        };
      },
      placeholder: select.getAttribute("data-placeholder") || "",
      loadThrottle: 250,
      maxOptions: 50,
      allowEmptyOption: !multiple,
      plugins: multiple ? ["remove_button"] : [],
      load: function (query, callback) {
        var self = this;
        fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            if (!response.ok) {
              throw new Error(response.status);
            }
            return response.json();
          })
          .then(function (data) {
            // A slow answer to an earlier query (typed letter by letter on a busy machine)
            // may arrive after the answer to the last one: it must not replace it.
            if (query !== self.inputValue()) {
              delete self.loadedSearches[query]; // asked again if the person comes back to it
              callback();
              return;
            }
            self.clearOptions(); // keeps the selected ones
            callback(data.results);
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        no_results: function () {
          return '<div class="no-results">Aucun résultat : essayez un autre mot.</div>';
        },
        loading: function () {
          return '<div class="spinner-border spinner-border-sm m-2" role="status"><span class="visually-hidden">Recherche…</span></div>';
        },
        option_create: function () {
          return "";
        },
      },
    };
    var label = select.labels && select.labels[0];
    // eslint-disable-next-line no-undef
    new TomSelect(select, settings);
    // Tom Select gives the <label> to its own input: the hidden <select> keeps its name too.
    if (label) {
      if (!label.id) {
        label.id = select.id + "-label";
      }
      select.setAttribute("aria-labelledby", label.id);
    }
  }

  function startAll() {
    selects.forEach(start);
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = loader.getAttribute("data-tom-select-css");
  document.head.appendChild(css);
  var script = document.createElement("script");
  script.src = loader.getAttribute("data-tom-select");
  script.onload = startAll;
  document.head.appendChild(script);
})();

// The search box offers, as the reader types, the titles the search would put
// first. A list the browser shows itself (a datalist), so choosing one is done
// the way the reader's browser does it; without this script the form works as it is.
(function () {
  "use strict";

  var DELAY = 200;

  function attach(box) {
    var list = document.createElement("datalist");
    list.id = box.id + "-suggestions";
    box.parentNode.appendChild(list);
    box.setAttribute("list", list.id);
    box.setAttribute("autocomplete", "off");
    var timer = null;
    var asked = 0;

    function suggest() {
      var query = box.value.trim();
      var ticket = ++asked;
      if (!query) {
        list.replaceChildren();
        return;
      }
      fetch(box.getAttribute("data-suggestions") + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) {
          if (ticket !== asked) {
            return;
          }
          list.replaceChildren.apply(list, data.titles.map(function (title) {
            var option = document.createElement("option");
            option.value = title;
            return option;
          }));
        })
        .catch(function () { list.replaceChildren(); });
    }

    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, DELAY);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggestions]").forEach(attach);
  });
})();

// Player tabs after the WAI-ARIA tabs pattern. Without this script every
// panel is shown one below the other, each under its own heading.
(function () {
  "use strict";

  function enhance(container) {
    var tablist = container.querySelector('[role="tablist"]');
    var tabs = Array.prototype.slice.call(tablist.querySelectorAll('[role="tab"]'));
    var panels = tabs.map(function (tab) {
      return document.getElementById(tab.getAttribute("aria-controls"));
    });

    function select(index, moveFocus) {
      tabs.forEach(function (tab, i) {
        var selected = i === index;
        tab.setAttribute("aria-selected", selected ? "true" : "false");
        tab.tabIndex = selected ? 0 : -1;
        panels[i].hidden = !selected;
      });
      if (moveFocus) {
        tabs[index].focus();
      }
    }

    tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function () {
        select(index, false);
      });
      tab.addEventListener("keydown", function (event) {
        var last = tabs.length - 1;
        var target = {
          ArrowRight: index === last ? 0 : index + 1,
          ArrowLeft: index === 0 ? last : index - 1,
          Home: 0,
          End: last,
        }[event.key];
        if (target !== undefined) {
          event.preventDefault();
          select(target, true);
        }
      });
    });

    tablist.hidden = false;
    container.classList.add("is-enhanced");
    select(Math.max(0, tabs.findIndex(function (tab) {
      return tab.getAttribute("aria-selected") === "true";
    })), false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-tabs]").forEach(enhance);
  });
})();

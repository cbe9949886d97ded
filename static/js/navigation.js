// The site's navigation is a drawer on narrow screens. Without this script the
// header's link opens it all the same (the drawer is the link's :target) and its
// close link leads back to the text; with it, the link is a button that opens and
// closes the drawer, Escape closes it, and focus goes in and comes back.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var opener = document.querySelector("[data-drawer-opener]");
    var drawer = document.getElementById("site-navigation");
    if (!opener || !drawer) {
      return;
    }
    // The episode shown, in its range's list, where the eye finds it.
    var shown = drawer.querySelector(".navigation-episodes [aria-current]");
    if (shown) {
      drawer.scrollTop = shown.offsetTop - drawer.clientHeight / 2;
    }
    var closer = drawer.querySelector("[data-drawer-closer]");
    opener.setAttribute("role", "button");
    opener.setAttribute("aria-expanded", "false");
    closer.setAttribute("role", "button");

    function isOpen() {
      return document.body.classList.contains("drawer-open");
    }

    function open() {
      document.body.classList.add("drawer-open");
      opener.setAttribute("aria-expanded", "true");
      drawer.focus();
    }

    function close(returnFocus) {
      document.body.classList.remove("drawer-open");
      opener.setAttribute("aria-expanded", "false");
      if (returnFocus) {
        opener.focus();
      }
    }

    function activate(element, action) {
      element.addEventListener("click", function (event) {
        event.preventDefault();
        action();
      });
      // A link that acts as a button answers the space bar too.
      element.addEventListener("keydown", function (event) {
        if (event.key === " ") {
          event.preventDefault();
          action();
        }
      });
    }

    activate(opener, function () {
      if (isOpen()) {
        close(true);
      } else {
        open();
      }
    });
    activate(closer, function () { close(true); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen()) {
        close(true);
      }
    });
    document.addEventListener("click", function (event) {
      if (isOpen() && !drawer.contains(event.target) && !opener.contains(event.target)) {
        close(false);
      }
    });
  });
})();

// Reading an episode: the table of contents marks the section being read, the
// player can be pinned so that it stays in view (remembered for the session,
// never started by this), and the page's address can be copied.
(function () {
  "use strict";

  var PINNED = "episode-player-pinned";

  function markCurrentSection() {
    var links = Array.prototype.slice.call(document.querySelectorAll(".contents a[href^='#']"));
    if (!links.length) {
      return;
    }
    // Each link with the heading it leads to (both tables of contents lead to the same headings).
    var targets = links.map(function (link) {
      return document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    });
    var scheduled = false;

    function update() {
      scheduled = false;
      var current = null;
      targets.forEach(function (heading) {
        if (heading && heading.getBoundingClientRect().top <= window.innerHeight * 0.25) {
          current = heading;
        }
      });
      links.forEach(function (link, index) {
        if (current !== null && targets[index] === current) {
          link.setAttribute("aria-current", "location");
        } else {
          link.removeAttribute("aria-current");
        }
      });
    }

    window.addEventListener("scroll", function () {
      if (!scheduled) {
        scheduled = true;
        window.requestAnimationFrame(update);
      }
    }, { passive: true });
    update();
  }

  function pinnablePlayer() {
    var players = document.querySelector(".player-tabs");
    var button = players && players.querySelector("[data-pin-player]");
    if (!button) {
      return;
    }

    function pin(pinned) {
      players.classList.toggle("is-pinned", pinned);
      button.setAttribute("aria-pressed", pinned ? "true" : "false");
      try {
        window.sessionStorage.setItem(PINNED, pinned ? "1" : "");
      } catch (error) {
        // A browser that keeps nothing for the session still pins for this page.
      }
    }

    button.hidden = false;
    button.addEventListener("click", function () {
      pin(button.getAttribute("aria-pressed") !== "true");
    });
    var remembered = "";
    try {
      remembered = window.sessionStorage.getItem(PINNED) || "";
    } catch (error) {
      remembered = "";
    }
    pin(remembered === "1");
  }

  function copyLink() {
    document.querySelectorAll("[data-copy-link]").forEach(function (button) {
      if (!navigator.clipboard) {
        return;
      }
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.getAttribute("data-copy-link")).then(function () {
          button.textContent = button.getAttribute("data-copied");
          window.setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    markCurrentSection();
    pinnablePlayer();
    copyLink();
  });
})();

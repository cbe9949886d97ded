// A transcript's timestamps seek the player on the page: the active tab's,
// or, when it cannot seek, the first tab whose player can. Without this
// script each timestamp is a link to the video's page at that moment.
(function () {
  "use strict";

  function seekablePlayer(panel) {
    var player = panel.querySelector("audio, iframe");
    if (player && (player.tagName === "AUDIO" || player.getAttribute("data-seek-parameter"))) {
      return player;
    }
    return null;
  }

  function seek(player, seconds) {
    var start = Math.max(0, seconds + parseInt(player.getAttribute("data-offset") || "0", 10));
    if (player.tagName === "AUDIO") {
      player.currentTime = start;
      player.play().catch(function () {});
      return;
    }
    var url = new URL(player.src);
    url.searchParams.set(player.getAttribute("data-seek-parameter"), String(start));
    url.searchParams.set("autoplay", "1");
    player.src = url.toString();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.timestamp");
    var container = document.querySelector("[data-tabs]");
    if (!link || !container) {
      return;
    }
    var panels = Array.prototype.slice.call(container.querySelectorAll('[role="tabpanel"]'));
    var active = panels.filter(function (panel) { return !panel.hidden; })[0];
    var target = active && seekablePlayer(active) ? active : panels.filter(seekablePlayer)[0];
    if (!target) {
      return;  // no player here can seek: the link opens the video's page at that time
    }
    event.preventDefault();
    if (target !== active || target.hidden) {
      container.querySelector('[aria-controls="' + target.id + '"]').click();
    }
    seek(seekablePlayer(target), parseInt(link.getAttribute("data-seconds"), 10));
    target.scrollIntoView({ block: "nearest" });
  });
})();

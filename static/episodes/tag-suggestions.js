// Completes the tag being typed in a comma-separated tag field. A datalist
// offers whole values, so each option is rewritten to the tags already
// typed followed by one suggestion.
(function () {
  "use strict";

  function splitTags(value) {
    var parts = value.split(/[,，]/);
    return { chosen: parts.slice(0, -1).map(function (s) { return s.trim(); }).filter(Boolean) };
  }

  function refresh(input, datalist) {
    var chosen = splitTags(input.value).chosen;
    var prefix = chosen.length ? chosen.join(", ") + ", " : "";
    Array.prototype.forEach.call(datalist.options, function (option) {
      var tag = option.getAttribute("data-tag");
      option.disabled = chosen.indexOf(tag) !== -1;
      option.value = prefix + tag;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-tag-suggestions]").forEach(function (input) {
      var datalist = document.getElementById(input.getAttribute("list"));
      if (!datalist) {
        return;
      }
      input.addEventListener("input", function () { refresh(input, datalist); });
      refresh(input, datalist);
    });
  });
})();

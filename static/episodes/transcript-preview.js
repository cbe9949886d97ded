// Side-by-side preview of a transcript, rendered by the site's own pipeline,
// with a character count. The server renders and sanitises; this only shows.
// Its words come translated from the server, on the textarea's data attributes.
(function () {
  "use strict";

  function countCharacters(text) {
    return text.replace(/\s/g, "").length;
  }

  function attach(textarea) {
    var url = textarea.getAttribute("data-preview-url");
    var wrapper = document.createElement("div");
    wrapper.className = "transcript-editor";
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(textarea);

    var preview = document.createElement("div");
    preview.className = "transcript-preview";
    preview.setAttribute("aria-live", "polite");
    preview.setAttribute("aria-label", textarea.getAttribute("data-preview-label"));
    wrapper.appendChild(preview);

    var counter = document.createElement("p");
    counter.className = "transcript-count";
    wrapper.appendChild(counter);

    var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    var timer = null;
    var sent = 0;

    function refresh() {
      counter.textContent = textarea
        .getAttribute("data-count-template")
        .replace("%(count)s", countCharacters(textarea.value));
      var ticket = ++sent;
      var body = new FormData();
      body.append("source", textarea.value);
      fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) {
          if (ticket === sent) {
            preview.innerHTML = data.html;
          }
        })
        .catch(function () { preview.textContent = textarea.getAttribute("data-preview-unavailable"); });
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-preview-url]").forEach(attach);
  });
})();

// Side-by-side preview of a transcript, rendered by the site's own pipeline,
// with a character count. The server renders and sanitises; this only shows.
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
    preview.setAttribute("aria-label", "文稿预览");
    wrapper.appendChild(preview);

    var counter = document.createElement("p");
    counter.className = "transcript-count";
    wrapper.appendChild(counter);

    var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    var timer = null;
    var sent = 0;

    function refresh() {
      counter.textContent = "字数（不计空白）：" + countCharacters(textarea.value);
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
        .catch(function () { preview.textContent = "预览暂时不可用。"; });
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

// Each paragraph's "纠错" link opens its correction form in a dialog on the
// episode page, and the form is sent from there. Without this script the
// link leads to the same form on a page of its own.
(function () {
  "use strict";

  var dialog, body, opener;

  function makeDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "correction-dialog";
    dialog.setAttribute("aria-labelledby", "correction-dialog-heading");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "correction-dialog-close";
    close.textContent = "×";
    close.setAttribute("aria-label", document.documentElement.lang === "en" ? "Close" : "关闭");
    close.addEventListener("click", function () { dialog.close(); });
    body = document.createElement("div");
    dialog.appendChild(close);
    dialog.appendChild(body);
    dialog.addEventListener("close", function () {
      if (opener) {
        opener.focus();
      }
    });
    body.addEventListener("submit", send);
    document.body.appendChild(dialog);
  }

  // The part of a correction page worth showing in the dialog: its article, heading first.
  function show(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var article = page.querySelector("article.correction");
    if (!article) {
      throw new Error("not a correction page");
    }
    var heading = article.querySelector("h1");
    heading.id = "correction-dialog-heading";
    var cancel = article.querySelector(".form-cancel");
    if (cancel) {
      cancel.remove();
    }
    body.replaceChildren(document.importNode(article, true));
    var field = body.querySelector("[aria-invalid], textarea") || body.querySelector("h1");
    if (field.tagName === "H1") {
      field.tabIndex = -1;
    }
    field.focus();
  }

  function fetchPage(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin" }, options)).then(function (response) {
      return response.text();
    });
  }

  function send(event) {
    var form = event.target.closest("form.correction-form");
    if (!form) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    button.disabled = true;
    fetchPage(form.action, { method: "POST", body: new FormData(form) })
      .then(show)
      .catch(function () { form.submit(); });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-corrections] a.suggest-correction");
    if (!link || typeof HTMLDialogElement === "undefined") {
      return;
    }
    event.preventDefault();
    opener = link;
    if (!dialog) {
      makeDialog();
    }
    fetchPage(link.href)
      .then(function (html) {
        if (!dialog.open) {
          dialog.showModal();
        }
        show(html);
      })
      .catch(function () { window.location.href = link.href; });
  });
})();

// Each paragraph's "纠错" link opens its correction form in a dialog on the
// episode page, and the form is sent from there. Without this script the
// link leads to the same form on a page of its own.
(function () {
  "use strict";

  // The words it shows come from the page, in the page's language.
  var words, dialog, body, opener;

  function makeDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "correction-dialog";
    dialog.setAttribute("aria-labelledby", "correction-dialog-heading");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "correction-dialog-close";
    close.textContent = "×";
    close.setAttribute("aria-label", words.getAttribute("data-close-label"));
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
    // The correction pages' way back to the episode is, here, closing the dialog.
    body.addEventListener("click", function (event) {
      var link = event.target.closest("a[href]");
      if (link && new URL(link.href).pathname === window.location.pathname) {
        event.preventDefault();
        dialog.close();
      }
    });
    document.body.appendChild(dialog);
  }

  // The part of a correction page worth showing in the dialog: its article, heading first.
  function show(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var article = page.querySelector("article.correction");
    if (!article) {
      throw new Error("not a correction page");
    }
    article.querySelector("h1").id = "correction-dialog-heading";
    var cancel = article.querySelector(".form-cancel");
    if (cancel) {
      cancel.remove();
    }
    body.replaceChildren(document.importNode(article, true));
    var field = body.querySelector("[aria-invalid], textarea");
    if (!field) {
      field = body.querySelector("h1");
      field.tabIndex = -1;
    }
    field.focus();
  }

  // A correction page, or a failure for a response that is none (a refused token, a server error).
  function fetchPage(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin" }, options)).then(function (response) {
      if (!response.ok && response.status !== 404) {
        throw new Error(response.status);
      }
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
      .catch(function () {
        // Nothing was stored: the reader's text stays in the form, to be sent again.
        button.disabled = false;
        var failure = form.querySelector(".form-errors") || document.createElement("div");
        failure.className = "form-errors";
        failure.setAttribute("role", "alert");
        failure.textContent = words.getAttribute("data-send-failed");
        form.prepend(failure);
      });
  }

  // On a touch screen, where nothing hovers, a tap on a paragraph shows its link.
  document.addEventListener("click", function (event) {
    var paragraph = event.target.closest("[data-corrections] p");
    if (!paragraph || event.target.closest("a")) {
      return;
    }
    var previous = document.querySelector("[data-corrections] p.is-current");
    if (previous && previous !== paragraph) {
      previous.classList.remove("is-current");
    }
    paragraph.classList.add("is-current");
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-corrections] a.suggest-correction");
    if (!link || typeof HTMLDialogElement === "undefined") {
      return;
    }
    event.preventDefault();
    opener = link;
    words = link.closest("[data-corrections]");
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

// The episode form keeps an editor's work: Ctrl+S (⌘S) saves and stays on
// the page, and leaving with changes not yet saved asks first.
(function () {
  "use strict";

  function fields(form) {
    var data = new FormData(form);
    data.delete("csrfmiddlewaretoken");
    return new URLSearchParams(data).toString();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("#content-main form[method=post]");
    if (!form) {
      return;
    }
    var saved = fields(form);
    var submitting = false;

    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && fields(form) !== saved) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        var stay = form.querySelector("[name=_continue]");
        if (stay) {
          form.requestSubmit(stay);
        }
      }
    });
  });
})();

// Import page: asks the server where the import stands every second and shows it; once the
// worker has finished (preview ready, result, error), reloads to show what it produced.
(function () {
    "use strict";
    var box = document.querySelector("[data-import-progress]");
    if (!box) return;
    var url = box.getAttribute("data-import-progress");
    var bar = box.querySelector("progress");
    var message = box.querySelector("[data-import-message]");
    var hint = box.querySelector("[data-import-hint]");
    var detail = box.querySelector("[data-import-detail]");

    function setText(element, text) {
        // Unchanged text is not written again, so the live region announces only real changes.
        if (element.textContent !== text) element.textContent = text;
    }

    function show(status) {
        if (!status.running) {
            window.location.reload();
            return false;
        }
        if (status.max) {
            bar.max = status.max;
            bar.value = status.value;
        } else {
            bar.removeAttribute("value");
        }
        bar.textContent = status.detail;
        setText(message, status.message);
        setText(hint, status.hint);
        hint.hidden = !status.hint;
        setText(detail, status.detail);
        return true;
    }

    function poll() {
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (response) {
                if (!response.ok) throw new Error("HTTP " + response.status);
                return response.json();
            })
            .then(show, function () {
                return true; // a busy server or a dropped connection: ask again
            })
            .then(function (goOn) {
                if (goOn) window.setTimeout(poll, 1000);
            });
    }

    window.setTimeout(poll, 1000);
})();

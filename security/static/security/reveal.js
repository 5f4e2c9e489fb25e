// Reveal buttons of masked phone numbers and e-mail addresses (security/reveal.py): the form is
// posted in the background and the full value replaces the masked one in place, in an aria-live
// region; without this script the form posts and the page comes back with the value shown.
(function () {
    "use strict";

    function reveal(form) {
        var box = form.closest("[data-reveal]");
        var value = box.querySelector("[data-reveal-value]");
        var button = form.querySelector("button");
        button.disabled = true;
        fetch(form.action, {
            method: "POST",
            body: new FormData(form),
            headers: { Accept: "application/json" },
            credentials: "same-origin",
        })
            .then(function (response) {
                if (!response.ok) throw new Error("HTTP " + response.status);
                return response.json();
            })
            .then(
                function (data) {
                    value.textContent = data.value;
                    var note = document.createElement("span");
                    note.className = "portal-reveal__note";
                    note.textContent = "（完整" + data.label + "，本次查看已记入操作日志）";
                    form.replaceWith(note);
                    value.focus();
                },
                function () {
                    form.submit(); // let the server answer as it does without JavaScript
                }
            );
    }

    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (!form.matches || !form.matches("[data-reveal-form]")) return;
        event.preventDefault();
        reveal(form);
    });
})();

// Larger text for older readers (适老化): the choice is kept in localStorage across visits.
(function () {
    "use strict";
    var STORAGE_KEY = "portal-text-size";
    var root = document.documentElement;

    // Runs from <head> before the first paint (a static file: the public CSP forbids inline scripts).
    try {
        if (localStorage.getItem(STORAGE_KEY) === "large") {
            root.classList.add("text-large");
        }
    } catch (e) {
        // Storage refused: the default size.
    }

    function remember(large) {
        try {
            if (large) {
                localStorage.setItem(STORAGE_KEY, "large");
            } else {
                localStorage.removeItem(STORAGE_KEY);
            }
        } catch (e) {
            // Private browsing may refuse storage; the toggle still works for this page.
        }
    }

    document.addEventListener("DOMContentLoaded", function () {
        var toggles = document.querySelectorAll("[data-text-size-toggle]");
        function show() {
            var large = root.classList.contains("text-large");
            toggles.forEach(function (toggle) {
                toggle.setAttribute("aria-pressed", large ? "true" : "false");
            });
        }
        toggles.forEach(function (toggle) {
            toggle.addEventListener("click", function () {
                var large = root.classList.toggle("text-large");
                remember(large);
                show();
            });
        });
        show();
    });
})();

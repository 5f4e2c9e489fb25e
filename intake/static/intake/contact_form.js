// Contact form: show the appointment fields only for appointment requests, and
// bring the error summary into view after a refused submission. The form works without it.
(function () {
    "use strict";
    var form = document.querySelector(".intake-form form");
    if (!form) return;
    var appointment = form.querySelector("[data-appointment-fields]");
    function toggle() {
        var checked = form.querySelector('input[name="kind"]:checked');
        var show = !checked || checked.value === "appointment";
        appointment.hidden = !show;
    }
    form.addEventListener("change", function (event) {
        if (event.target.name === "kind") toggle();
    });
    toggle();
    var errors = document.getElementById("form-errors");
    if (errors) errors.focus();
})();

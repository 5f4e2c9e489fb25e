/* The contact record form: keep each problem's expert choices to the record's experts (chosen through
   experts/experts_widget.js), and add problem rows. The server checks everything again. */
(function () {
    'use strict';

    function init(form) {
        var experts = form.querySelector('[data-experts-widget]');
        var followUps = form.querySelector('[data-follow-ups]');
        if (!experts || !followUps) { return; }

        function chosen() {
            return Array.prototype.filter.call(
                experts.querySelectorAll('input[data-experts-widget-expert]'), function (box) { return box.checked; }
            ).map(function (box) { return { id: box.value, label: box.dataset.label }; });
        }

        function syncRows() {
            var options = chosen();
            followUps.querySelectorAll('select[data-follow-up-expert]').forEach(function (select) {
                var current = select.value;
                select.replaceChildren(new Option('请选择专家', ''));
                options.forEach(function (option) {
                    select.add(new Option(option.label, option.id, false, option.id === current));
                });
            });
        }

        experts.addEventListener('experts-changed', syncRows);

        var rows = followUps.querySelector('[data-follow-up-rows]');
        var template = followUps.querySelector('[data-follow-up-template]');
        var total = followUps.querySelector('input[name="' + followUps.dataset.prefix + '-TOTAL_FORMS"]');
        followUps.querySelector('[data-follow-up-add]').addEventListener('click', function () {
            var index = Number(total.value);
            var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
            // A range's fragment runs the date pickers' scripts, which innerHTML would not.
            rows.append(document.createRange().createContextualFragment(html));
            total.value = String(index + 1);
            syncRows();
            var added = rows.lastElementChild;
            var first = added && added.querySelector('select, textarea, input:not([type="hidden"])');
            if (first) { first.focus(); }
        });
    }

    document.addEventListener('DOMContentLoaded', function () {
        document.querySelectorAll('form[data-edit-form]').forEach(init);
    });
}());

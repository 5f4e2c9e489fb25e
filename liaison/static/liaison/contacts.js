/* The contact record form: add experts several at a time through the chooser, keep each problem's
   expert choices to the record's experts, and add problem rows. The server checks everything again. */
(function () {
    'use strict';

    function init(form) {
        var experts = form.querySelector('[data-contact-experts]');
        var followUps = form.querySelector('[data-follow-ups]');
        if (!experts || !followUps) { return; }
        var list = experts.querySelector('[data-contact-experts-list]');
        var count = experts.querySelector('[data-contact-experts-count]');

        function chosen() {
            return Array.prototype.filter.call(
                list.querySelectorAll('input[data-contact-expert]'), function (box) { return box.checked; }
            ).map(function (box) { return { id: box.value, label: box.dataset.label }; });
        }

        function syncRows() {
            var options = chosen();
            count.textContent = '已选 ' + options.length + ' 位专家';
            followUps.querySelectorAll('select[data-follow-up-expert]').forEach(function (select) {
                var current = select.value;
                select.replaceChildren(new Option('请选择专家', ''));
                options.forEach(function (option) {
                    select.add(new Option(option.label, option.id, false, option.id === current));
                });
            });
        }

        function addExperts(items) {
            var present = chosen().map(function (option) { return option.id; });
            items.forEach(function (item) {
                var id = String(item.id);
                var existing = list.querySelector('input[data-contact-expert][value="' + id + '"]');
                if (existing) { existing.checked = true; return; }
                if (present.indexOf(id) !== -1) { return; }
                var box = document.createElement('input');
                box.type = 'checkbox';
                box.name = experts.dataset.name;
                box.value = id;
                box.checked = true;
                box.dataset.contactExpert = '';
                box.dataset.label = item.title;
                var label = document.createElement('label');
                label.append(box, ' ' + item.title);
                var entry = document.createElement('li');
                entry.append(label);
                list.append(entry);
            });
            syncRows();
        }

        experts.querySelector('[data-contact-experts-add]').addEventListener('click', function () {
            // Wagtail's chooser modal in its "several at once" mode, as its MultipleChooserPanel opens it.
            window.ModalWorkflow({
                url: experts.dataset.chooseUrl,
                urlParams: { multiple: 1 },
                onload: new window.ChooserModalOnloadHandlerFactory().getOnLoadHandlers(),
                responses: { chosen: addExperts },
            });
        });
        list.addEventListener('change', syncRows);

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

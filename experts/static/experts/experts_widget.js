/* Several experts on a form (experts/widgets.py): add them through Wagtail's chooser modal, several at a
   time, untick to remove. Each change fires `experts-changed` on the widget, with the chosen experts
   ({id, label}) in its detail, for forms that follow the choice. The server checks everything again. */
(function () {
    'use strict';

    function init(widget) {
        var list = widget.querySelector('[data-experts-widget-list]');
        var count = widget.querySelector('[data-experts-widget-count]');

        function chosen() {
            return Array.prototype.filter.call(
                list.querySelectorAll('input[data-experts-widget-expert]'), function (box) { return box.checked; }
            ).map(function (box) { return { id: box.value, label: box.dataset.label }; });
        }

        function changed() {
            var experts = chosen();
            count.textContent = '已选 ' + experts.length + ' 位专家';
            widget.dispatchEvent(new CustomEvent('experts-changed', { bubbles: true, detail: experts }));
        }

        function addExperts(items) {
            items.forEach(function (item) {
                var id = String(item.id);
                var existing = list.querySelector('input[data-experts-widget-expert][value="' + id + '"]');
                if (existing) { existing.checked = true; return; }
                var box = document.createElement('input');
                box.type = 'checkbox';
                box.name = widget.dataset.name;
                box.value = id;
                box.checked = true;
                box.dataset.expertsWidgetExpert = '';
                box.dataset.label = item.title;
                var label = document.createElement('label');
                label.append(box, ' ' + item.title);
                var entry = document.createElement('li');
                entry.append(label);
                list.append(entry);
            });
            changed();
        }

        widget.querySelector('[data-experts-widget-add]').addEventListener('click', function () {
            // Wagtail's chooser modal in its "several at once" mode, as its MultipleChooserPanel opens it.
            window.ModalWorkflow({
                url: widget.dataset.chooseUrl,
                urlParams: { multiple: 1 },
                onload: new window.ChooserModalOnloadHandlerFactory().getOnLoadHandlers(),
                responses: { chosen: addExperts },
            });
        });
        list.addEventListener('change', changed);
    }

    document.addEventListener('DOMContentLoaded', function () {
        document.querySelectorAll('[data-experts-widget]').forEach(init);
    });
}());

// Close form: choosing a reply template copies its text into the reply box, to be edited.
(function () {
    "use strict";
    var select = document.querySelector("[data-reply-template]");
    var reply = document.querySelector("[data-reply-body]");
    if (!select || !reply) return;
    select.addEventListener("change", function () {
        var option = select.options[select.selectedIndex];
        var body = option && option.getAttribute("data-body");
        if (!body) return;
        if (reply.value.trim() && !window.confirm("用模板内容替换已填写的答复意见吗？")) return;
        reply.value = body;
        reply.focus();
    });
})();

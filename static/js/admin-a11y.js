/* Accessible names the Django admin's own widgets lack (WCAG 4.1.2, 1.3.1), added once the
   page and the admin's widgets (select2, the filter boxes) have been built. */
"use strict";
(function () {
    function labelText(id) {
        const label = id && document.querySelector('label[for="' + id + '"]');
        return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
    }

    // Split date and time fields: the label points at neither input (axe: label).
    function nameSplitDateTimes() {
        document.querySelectorAll("p.datetime").forEach(function (p) {
            const inputs = p.querySelectorAll("input");
            const field = inputs.length ? inputs[0].id.replace(/_0$/, "") : "";
            const base = labelText(field) || labelText(field + "_0");
            inputs.forEach(function (input) {
                if (input.labels && input.labels.length) return;
                let text = input.previousSibling;
                while (text && text.nodeType !== Node.TEXT_NODE) text = text.previousSibling;
                const part = text ? text.textContent.replace(/:\s*$/, "").trim() : "";
                input.setAttribute("aria-label", [base, part].filter(Boolean).join(", "));
            });
        });
    }

    // select2 (autocomplete fields): the combobox is named by the text of the current choice
    // only, which is empty before a choice (axe: aria-input-field-name). Name it by the
    // field's label first.
    function fieldLabel(select) {
        const label = select.id && document.querySelector('label[for="' + select.id + '"]');
        if (label) return label;
        const row = select.closest(".form-row, .fieldBox, td");
        return row ? row.querySelector("label") : null;
    }

    function nameComboboxes() {
        document.querySelectorAll(".select2").forEach(function (container) {
            const select = container.previousElementSibling;
            const label = select && select.tagName === "SELECT" ? fieldLabel(select) : null;
            if (!label) return;
            if (!label.id) label.id = (select.id || select.name) + "-label";
            // The combobox and the read-only text of the current choice inside it.
            container.querySelectorAll("[role=combobox], [role=textbox]").forEach(function (el) {
                const ids = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
                if (ids.indexOf(label.id) === -1) {
                    el.setAttribute("aria-labelledby", [label.id].concat(ids).join(" "));
                }
            });
        });
    }

    // The filter boxes' help icons carry aria-label on a span without a role
    // (axe: aria-prohibited-attr): they are images with a text alternative.
    function roleHelpIcons() {
        document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
            icon.setAttribute("role", "img");
        });
    }

    function fix() {
        nameSplitDateTimes();
        nameComboboxes();
        roleHelpIcons();
    }

    // Registered after the admin's own handlers (this script is deferred), so each runs once
    // the widgets are built: the filter boxes on load, select2 on jQuery's ready, which may
    // come after load.
    window.addEventListener("load", fix);
    if (window.django && window.django.jQuery) window.django.jQuery(fix);
})();

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
    function nameComboboxes() {
        document.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
            const container = box.closest(".select2");
            const select = container && container.previousElementSibling;
            const label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
            if (!label) return;
            if (!label.id) label.id = select.id + "-label";
            const ids = (box.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
            if (ids.indexOf(label.id) === -1) {
                box.setAttribute("aria-labelledby", [label.id].concat(ids).join(" "));
            }
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

    // Registered after the admin's own load handlers (this script is deferred), so it runs
    // once the filter boxes and select2 are built.
    window.addEventListener("load", fix);
})();

// The activity form: totals as you type, the catalogue's unit value proposed, in-kind
// fields shown only for in-kind rows. No inline script: the page's CSP forbids it.
(function () {
  "use strict";
  const form = document.getElementById("activity-form");
  if (!form) return;
  const formatter = new Intl.NumberFormat("vi-VN");

  // "15.000.000" → 15000000 and "2,5" → 2.5, the way people type numbers here.
  function parseVietnamese(text) {
    const cleaned = (text || "").replace(/\s/g, "").replace(/\./g, "").replace(",", ".");
    const number = parseFloat(cleaned);
    return isNaN(number) ? NaN : number;
  }

  function rows() { return form.querySelectorAll("[data-row]"); }
  function field(row, suffix) { return row.querySelector(`[name$="-${suffix}"]`); }

  function refreshRow(row) {
    const kind = field(row, "kind");
    row.classList.toggle("is-cash", kind && kind.value === "cash");
    const item = row.querySelector("[data-item]");
    const option = item && item.selectedOptions[0];
    const unit = row.querySelector("[data-unit-label]");
    if (unit) unit.textContent = option && option.dataset.unit ? `(${option.dataset.unit})` : "";
    const removed = field(row, "DELETE");
    row.classList.toggle("is-removed", !!(removed && removed.checked));
  }

  function proposeValue(row) {
    // Quantity × the catalogue's reference unit value, unless the user typed a value.
    const item = row.querySelector("[data-item]");
    const option = item && item.selectedOptions[0];
    const quantity = parseVietnamese(field(row, "quantity").value);
    const value = field(row, "value");
    if (!option || !option.dataset.unitValue || isNaN(quantity)) return;
    if (value.value && value.dataset.proposed !== value.value) return;
    value.value = formatter.format(Math.round(quantity * parseInt(option.dataset.unitValue, 10)));
    value.dataset.proposed = value.value;
  }

  function refreshTotals() {
    let total = 0, cash = 0;
    rows().forEach(function (row) {
      refreshRow(row);
      if (row.classList.contains("is-removed")) return;
      const value = Math.round(parseVietnamese(field(row, "value").value)) || 0;
      total += value;
      if (field(row, "kind").value === "cash") cash += value;
    });
    form.querySelector("[data-total]").textContent = formatter.format(total);
    form.querySelector("[data-cash]").textContent = formatter.format(cash);
  }

  form.addEventListener("input", function (event) {
    const row = event.target.closest("[data-row]");
    if (row && (event.target.matches("[data-item]") || event.target.name.endsWith("-quantity"))) {
      proposeValue(row);
    }
    refreshTotals();
  });
  form.addEventListener("change", refreshTotals);
  document.body.addEventListener("htmx:afterSwap", refreshTotals);
  // One click saves once: the button is disabled after the first submit.
  form.addEventListener("submit", function () {
    const button = form.querySelector("[data-save]");
    if (button) { button.disabled = true; button.textContent = "Đang lưu…"; }
  });
  refreshTotals();
})();

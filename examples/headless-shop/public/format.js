// Shared by the storefront and the order page. Amounts travel in kopecks (minor units), as the
// Vitrina API has them; they become roubles only for display.
const rub = new Intl.NumberFormat('ru-RU', {
  style: 'currency', currency: 'RUB', minimumFractionDigits: 0, maximumFractionDigits: 2,
});

export function formatAmount(minorUnits) {
  return rub.format(minorUnits / 100);
}

// An element with a class and text; text always goes in as textContent, never as HTML.
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

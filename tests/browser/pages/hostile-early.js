// The page talks to the widget before the loader has arrived: the documented queue snippet,
// then commands and a handler, as a shop would put in its own script file.
window.Vitrina = window.Vitrina || function () { (window.Vitrina.q = window.Vitrina.q || []).push(arguments); };
window.Vitrina('on', 'open', function () { document.documentElement.setAttribute('data-vitrina-opened', 'yes'); });
window.Vitrina('set', { cart: { total: '4500 RUB', items: 3 } });

// Building DOM nodes from data without innerHTML, so that no value is ever parsed as markup.

/**
 * A new element with a class name (optional), text content or children.
 *
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string | readonly Node[]} [content]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className !== undefined && className !== "") node.className = className;
  if (typeof content === "string") node.textContent = content;
  else if (content !== undefined) node.append(...content);
  return node;
}

/**
 * The element with this id, which the page's HTML must have.
 *
 * @template {HTMLElement} E
 * @param {string} id
 * @param {new () => E} type
 * @returns {E}
 */
export function byId(id, type) {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`#${id} is missing from the page`);
  return node;
}

/**
 * The first element under `root` matching `selector`, which the page's HTML must have.
 *
 * @template {Element} E
 * @param {ParentNode} root
 * @param {string} selector
 * @param {new () => E} type
 * @returns {E}
 */
export function query(root, selector, type) {
  const node = root.querySelector(selector);
  if (!(node instanceof type)) throw new Error(`${selector} is missing from the page`);
  return node;
}

/**
 * Restarts a CSS animation class on `node` (a price flash), even if it is already running.
 *
 * @param {HTMLElement} node
 * @param {string} className
 */
export function flash(node, className) {
  node.classList.remove("flash-up", "flash-down");
  void node.offsetWidth;
  node.classList.add(className);
}

/**
 * Makes the rows of `body` match `items`, in order, keyed by `keyOf`: a row is created once per
 * key (`create`), updated in place on every call (`update`), removed when its item is gone, and
 * moved only when the order changed. Buttons in a row therefore survive a refresh: a click is
 * never lost to a row being replaced between the press and the release.
 *
 * @template T
 * @param {HTMLTableSectionElement} body
 * @param {readonly T[]} items
 * @param {(item: T) => string} keyOf
 * @param {(item: T) => HTMLTableRowElement} create
 * @param {(row: HTMLTableRowElement, item: T) => void} update
 */
export function syncRows(body, items, keyOf, create, update) {
  /** @type {Map<string, HTMLTableRowElement>} */
  const existing = new Map();
  for (const row of body.rows) existing.set(row.dataset.key ?? "", row);
  const wanted = items.map((item) => {
    const key = keyOf(item);
    let row = existing.get(key);
    if (row === undefined) {
      row = create(item);
      row.dataset.key = key;
    }
    existing.delete(key);
    update(row, item);
    return row;
  });
  for (const stale of existing.values()) stale.remove();
  wanted.forEach((row, index) => {
    if (body.rows[index] !== row) body.insertBefore(row, body.rows[index] ?? null);
  });
}

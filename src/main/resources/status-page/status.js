// The status page: polls the daemon's read-only JSON endpoints (GET only, no token) and renders them.
// Everything that comes from the daemon enters the DOM as text (textContent, text nodes, dataset), never as HTML.
// The daemon leaves null fields out of its JSON: absent and null are alike here (== null).
'use strict';

(function () {
  const POLL_MS = 2000;           // GET deployments, the operations list and running operations
  const GATE_MS = 5000;           // GET deployments/{name}/gate (it reads live facts from both sides)
  const HISTORY_MS = 5 * 60 * 1000;
  const SHOWN_OPERATIONS = 10;

  const history = new Map();      // deployment -> [{t, bytes, seconds}], the last HISTORY_MS
  const gates = new Map();        // deployment -> {verdict} or {error}
  const gateAsked = new Map();    // deployment -> time of the last gate request
  const gateBusy = new Set();
  const operations = new Map();   // id -> OperationView or {id, error}
  let listAnswers = null;         // does GET operations answer 200? null: not asked yet
  let deployments = [];

  // ids this page learned without the list: from its address, e.g. /#operation=ID,ID
  const learned = new Set((new URLSearchParams(location.hash.slice(1)).get('operation') || '')
    .split(',').map((id) => id.trim()).filter((id) => id !== ''));

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === 'class') node.className = value;
      else if (key === 'data') Object.assign(node.dataset, value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child != null) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  const shownAs = new WeakMap();  // container -> JSON of what it shows

  /** Rebuilds the container's children from build() only when the state they show changed. */
  function show(container, state, build) {
    const key = JSON.stringify(state === undefined ? null : state);
    if (shownAs.get(container) === key) return;
    shownAs.set(container, key);
    container.replaceChildren(...build());
  }

  async function getJson(path) {
    const response = await fetch(path, {headers: {Accept: 'application/json'}, cache: 'no-store'});
    if (!response.ok) {
      const error = new Error(path + ' answered ' + response.status);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  // ---- formatting ----

  function bytes(n) {
    if (n == null) return 'unknown';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = n;
    let unit = 0;
    while (Math.abs(value) >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return (unit === 0 ? String(value) : value.toFixed(1)) + ' ' + units[unit];
  }

  function seconds(s) {
    if (s == null) return 'unknown';
    return s < 10 ? s.toFixed(2) + ' s' : s.toFixed(0) + ' s';
  }

  function clock(iso) {
    return iso ? new Date(iso).toLocaleTimeString() : '';
  }

  function took(startedAt, finishedAt) {
    if (!startedAt) return '';
    const end = finishedAt ? Date.parse(finishedAt) : Date.now();
    const ms = Math.max(0, end - Date.parse(startedAt));
    const text = ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
    return finishedAt ? text : text + ' so far';
  }

  // ---- deployments: lag history and gate ----

  function remember(list) {
    const now = Date.now();
    for (const d of list) {
      const points = history.get(d.name) || [];
      points.push({t: now, bytes: d.lagBytes, seconds: d.lagSeconds});
      while (points.length > 0 && points[0].t < now - HISTORY_MS) points.shift();
      history.set(d.name, points);
    }
  }

  const SVG = 'http://www.w3.org/2000/svg';

  function sparkline(points, width, height) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'sparkline');
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.setAttribute('role', 'img');
    const known = points.filter((p) => p.bytes != null);
    const max = Math.max(1, ...known.map((p) => p.bytes));
    const title = document.createElementNS(SVG, 'title');
    title.textContent = 'lag in bytes over the last ' + (HISTORY_MS / 60000) + ' minutes, highest ' + bytes(max);
    svg.append(title);
    const now = Date.now();
    let segment = [];
    const flush = () => {
      if (segment.length > 0) {
        const line = document.createElementNS(SVG, 'polyline');
        line.setAttribute('points', segment.length === 1 ? segment[0] + ' ' + segment[0] : segment.join(' '));
        svg.append(line);
      }
      segment = [];
    };
    for (const p of points) {
      if (p.bytes == null) {
        flush();  // unknown lag: a gap, not a zero
        continue;
      }
      const x = (width * (1 - (now - p.t) / HISTORY_MS)).toFixed(1);
      const y = (height - 1 - (height - 2) * p.bytes / max).toFixed(1);
      segment.push(x + ',' + y);
    }
    flush();
    const last = points.length > 0 ? points[points.length - 1] : null;
    if (last && last.bytes != null) {  // the latest value, visible even before a line can be drawn
      const dot = document.createElementNS(SVG, 'circle');
      dot.setAttribute('cx', String(width - 2));
      dot.setAttribute('cy', (height - 1 - (height - 2) * last.bytes / max).toFixed(1));
      dot.setAttribute('r', '2');
      svg.append(dot);
    }
    return svg;
  }

  function lagBlock(d) {
    const points = history.get(d.name) || [];
    const known = points.filter((p) => p.bytes != null);
    const highest = known.length > 0 ? Math.max(...known.map((p) => p.bytes)) : null;
    return el('div', {class: 'lag'},
      el('span', {class: 'lag-now', data: {lagBytes: d.lagBytes == null ? '' : String(d.lagBytes)}},
        d.lagBytes == null && d.lagSeconds == null ? 'lag unknown'
          : 'lag ' + bytes(d.lagBytes) + ', ' + seconds(d.lagSeconds)),
      sparkline(points, 240, 36),
      el('span', {class: 'muted'}, 'highest in ' + (HISTORY_MS / 60000) + ' min: ' + bytes(highest)));
  }

  function gateBlock(name) {
    const gate = gates.get(name);
    if (!gate) return el('p', {class: 'muted gate'}, 'gate: asking…');
    if (gate.error) return el('p', {class: 'gate error'}, 'gate: ' + gate.error);
    const v = gate.verdict;
    const rows = v.checks.map((c) => el('tr', {class: 'check ' + c.status, data: {check: c.name, status: c.status}},
      el('td', {class: 'name'}, c.name),
      el('td', {class: 'status'}, el('span', {class: 'badge ' + c.status}, c.status)),
      el('td', {}, c.observed ?? ''),
      el('td', {}, c.threshold ?? ''),
      el('td', {class: 'message'}, c.message)));
    const failing = v.checks.filter((c) => c.status !== 'pass').length;
    return el('div', {class: 'gate'},
      el('p', {},
        el('span', {class: 'badge ' + (v.ready ? 'pass' : 'fail'), data: {ready: String(v.ready)}},
          v.ready ? 'ready' : 'not ready'),
        ' ', v.ready ? 'every check passes' : failing + ' of ' + v.checks.length + ' checks block',
        el('span', {class: 'muted evaluated'}, ' · evaluated ' + clock(v.evaluatedAt))),
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'check'), el('th', {}, 'state'), el('th', {}, 'observed'),
          el('th', {}, 'threshold'), el('th', {}, 'message'))),
        el('tbody', {}, ...rows)));
  }

  function renderDeployments() {
    const root = document.getElementById('deployments');
    show(root, deployments.map((d) => [d.name, d.mode, d.blue, d.green]), () => deployments.length > 0
      ? deployments.map((d) => el('article', {class: 'deployment', data: {deployment: d.name}},
        el('h3', {}, d.name, ' ', el('span', {class: 'muted'}, d.mode + ': ' + d.blue + ' → ' + d.green)),
        el('div', {class: 'lag-slot'}), el('div', {class: 'gate-slot'})))
      : [el('p', {class: 'muted'}, 'no deployment configured')]);
    const cards = new Map([...root.children].map((card) => [card.dataset.deployment, card]));
    for (const d of deployments) {
      const card = cards.get(d.name);
      if (!card) continue;
      show(card.querySelector('.lag-slot'), [d, Date.now()], () => [lagBlock(d)]);
      const gate = gates.get(d.name);
      // the table is rebuilt only when a check changed, so a person can select and copy from it
      show(card.querySelector('.gate-slot'), gate && gate.verdict ? {...gate.verdict, evaluatedAt: null} : gate,
        () => [gateBlock(d.name)]);
      const time = card.querySelector('.evaluated');
      if (time && gate && gate.verdict) time.textContent = ' · evaluated ' + clock(gate.verdict.evaluatedAt);
    }
  }

  async function askGate(name) {
    if (gateBusy.has(name) || Date.now() - (gateAsked.get(name) || 0) < GATE_MS) return;
    gateBusy.add(name);
    gateAsked.set(name, Date.now());
    try {
      gates.set(name, {verdict: await getJson('deployments/' + encodeURIComponent(name) + '/gate')});
    } catch (e) {
      gates.set(name, {error: e.message});
    } finally {
      gateBusy.delete(name);
    }
    renderDeployments();
  }

  // ---- operations ----

  function operationBody(op) {
    if (op.error) return [el('h3', {}, 'operation ' + op.id), el('p', {class: 'error'}, op.error)];
    const steps = op.steps.map((s) => el('tr', {class: 'step ' + s.state, data: {step: s.name, state: s.state}},
      el('td', {class: 'name'}, s.name),
      el('td', {class: 'status'}, el('span', {class: 'badge ' + s.state}, s.state)),
      el('td', {}, clock(s.startedAt)),
      el('td', {class: 'took'}, took(s.startedAt, s.finishedAt)),
      el('td', {class: 'message'}, s.detail || '')));
    return [
      el('h3', {}, op.kind + ' of ' + op.deployment + ' ', el('span', {class: 'badge op-state ' + op.state}, op.state)),
      el('p', {class: 'muted'}, op.id + ' · started ' + clock(op.startedAt) + ' · ' + took(op.startedAt, op.finishedAt)),
      op.detail ? el('p', {class: 'detail'}, op.detail) : null,
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'step'), el('th', {}, 'state'), el('th', {}, 'started'),
          el('th', {}, 'took'), el('th', {}, 'detail'))),
        el('tbody', {}, ...steps)),
      op.nextActions && op.nextActions.length > 0
        ? el('div', {class: 'next'}, el('p', {}, 'next actions:'), el('ul', {}, ...op.nextActions.map((a) => el('li', {}, a))))
        : null,
    ].filter((node) => node != null);
  }

  function renderOperations() {
    const shown = [...operations.values()]
      .sort((a, b) => (b.startedAt || '').localeCompare(a.startedAt || ''))
      .slice(0, SHOWN_OPERATIONS);
    const root = document.getElementById('operations');
    show(root, shown.map((op) => op.id),
      () => shown.map((op) => el('article', {class: 'operation', data: {operation: op.id}})));
    for (const article of root.children) {
      const op = operations.get(article.dataset.operation);
      article.dataset.state = op.state || 'unknown';
      // a running operation is redrawn every poll (its times grow); an ended one only when it changed
      show(article, [op, op.state === 'running' ? Date.now() : 0], () => operationBody(op));
    }
    document.getElementById('operations-note').textContent = listAnswers
      ? (shown.length > 0 ? 'newest first' : 'no operation yet')
      : 'This daemon does not list operations (GET /operations); the page follows the ids in its address: '
        + '#operation=ID[,ID…] (the id a POST answered).' + (shown.length > 0 ? '' : ' None given.');
  }

  async function pollOperations() {
    if (listAnswers !== false) {
      try {
        const page = await getJson('operations');
        listAnswers = true;
        for (const op of page.operations || []) operations.set(op.id, op);
      } catch (e) {
        if (e.status === 404) listAnswers = false;  // an older daemon: fall back to the learned ids, ask no more
        else throw e;
      }
    }
    // the learned ids, and every operation still running, are followed one by one until they end
    const follow = [...learned].filter((id) => !operations.has(id) || operations.get(id).error);
    for (const op of operations.values()) {
      if (op.state === 'running' && !listAnswers) follow.push(op.id);
    }
    await Promise.all(follow.map(async (id) => {
      try {
        operations.set(id, await getJson('operations/' + encodeURIComponent(id)));
      } catch (e) {
        operations.set(id, {id: id, error: e.message});
      }
    }));
  }

  // ---- the loop ----

  async function poll() {
    const status = document.getElementById('status');
    try {
      deployments = await getJson('deployments');
      remember(deployments);
      await pollOperations();
      status.textContent = 'updated ' + new Date().toLocaleTimeString() + ' · every ' + POLL_MS / 1000 + ' s';
      status.className = 'muted';
    } catch (e) {
      status.textContent = 'cannot read the daemon: ' + e.message + ' (retrying every ' + POLL_MS / 1000 + ' s)';
      status.className = 'error';
    }
    renderDeployments();
    renderOperations();
    for (const d of deployments) askGate(d.name);
    setTimeout(poll, POLL_MS);
  }

  window.addEventListener('hashchange', () => location.reload());
  poll();
})();

// Flotilla dashboard: plain JavaScript, no build step. Every DOM node is built with textContent,
// never from HTML strings, so repository names and error messages cannot inject markup.
'use strict';

const STATES = ['MERGED', 'POST_MERGE_FAILED', 'REVERTED', 'MERGEABLE', 'CI_PENDING', 'PR_OPEN', 'PUSHED', 'RUNNING', 'PENDING',
  'CI_FAILED', 'CONFLICT', 'FAILED', 'HALTED', 'MODIFIED', 'CLOSED', 'INVALID_CONFIG', 'NEEDS_HUMAN',
  'NO_CHANGE', 'NOT_APPLICABLE', 'SKIPPED'];
const TERMINAL = new Set(['NO_CHANGE', 'NOT_APPLICABLE', 'MERGED', 'CLOSED', 'SKIPPED', 'POST_MERGE_FAILED', 'REVERTED']);
const COLORS = {
  MERGED: '#16a34a', POST_MERGE_FAILED: '#be123c', REVERTED: '#57534e', MERGEABLE: '#2dd4bf', CI_PENDING: '#818cf8', PR_OPEN: '#3b82f6', PUSHED: '#60a5fa',
  RUNNING: '#93c5fd', PENDING: '#cbd5e1', CI_FAILED: '#f87171', CONFLICT: '#fb923c', FAILED: '#dc2626',
  HALTED: '#7f1d1d', MODIFIED: '#f59e0b', CLOSED: '#78716c', INVALID_CONFIG: '#c026d3', NEEDS_HUMAN: '#ca8a04',
  NO_CHANGE: '#a3a3a3', NOT_APPLICABLE: '#d4d4d4', SKIPPED: '#e5e5e5',
};
const RETRYABLE = new Set(['FAILED', 'CI_FAILED', 'CONFLICT', 'NEEDS_HUMAN']);
const PAGE_SIZE = 50;

const session = {
  get token() { return sessionStorage.getItem('flotilla.token') || ''; },
  set token(v) { v ? sessionStorage.setItem('flotilla.token', v) : sessionStorage.removeItem('flotilla.token'); },
  get actor() { return sessionStorage.getItem('flotilla.actor') || ''; },
  set actor(v) { v ? sessionStorage.setItem('flotilla.actor', v) : sessionStorage.removeItem('flotilla.actor'); },
};

let current = { refresh: async () => {} };
let serverSession = { readsNeedToken: false, actionsEnabled: false, stalePullRequestDays: 7 };

// ---- small helpers -------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

// replaceChildren() would print null as "null"; optional parts of a view are written as `cond ? node : null`.
function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'text') el.textContent = v; else el.setAttribute(k, v);
  }
  for (const c of children) el.append(c);
  return el;
}

const fmtInt = new Intl.NumberFormat('en');
const fmtDate = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', year: 'numeric' });
const fmtDateTime = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

function num(n) { return fmtInt.format(n || 0); }
function pct(x) { return `${Math.round((x || 0) * 100)}%`; }
function date(iso) { return iso ? fmtDate.format(new Date(iso)) : '—'; }
function dateTime(iso) { return iso ? fmtDateTime.format(new Date(iso)) : '—'; }

function duration(fromIso) {
  if (!fromIso) return '—';
  let secs = Math.max(0, (Date.now() - new Date(fromIso).getTime()) / 1000);
  const d = Math.floor(secs / 86400); secs -= d * 86400;
  const hrs = Math.floor(secs / 3600); secs -= hrs * 3600;
  const m = Math.floor(secs / 60);
  if (d > 0) return `${d}d ${hrs}h`;
  if (hrs > 0) return `${hrs}h ${m}m`;
  return `${m}m`;
}

function stateLabel(state) { return state.replace(/_/g, ' ').toLowerCase(); }

function stateBadge(state) {
  return h('span', { class: 'badge state', dataset: { state } },
    h('span', { class: 'swatch', style: null }), stateLabel(state));
}

function paintSwatches(root) {
  // Colours are set through the CSSOM: the content security policy forbids inline style attributes.
  root.querySelectorAll('[data-state] > .swatch, .swatch[data-color]').forEach((sw) => {
    const state = sw.dataset.color || sw.parentElement.dataset.state;
    sw.style.background = COLORS[state] || '#ccc';
  });
}

function statusBadge(status) {
  return h('span', { class: `badge status-${status}`, dataset: { field: 'status' }, text: status });
}

function link(href, text) { return h('a', { href, text }); }

function campaignHref(name) { return `#/campaigns/${encodeURIComponent(name)}`; }
function repoHref(full) {
  const [owner, ...rest] = full.split('/');
  return `#/repos/${encodeURIComponent(owner)}/${encodeURIComponent(rest.join('/'))}`;
}

// ---- API -----------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

function headers() {
  const out = {};
  if (session.token) out.Authorization = `Bearer ${session.token}`;
  if (session.actor) out['X-Flotilla-Actor'] = session.actor;
  return out;
}

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: { ...headers(), ...(options.headers || {}) } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body.error || `${res.status} ${res.statusText}`);
  return body;
}

async function act(path, what) {
  try {
    const body = await api(path, { method: 'POST' });
    notify(body.message || `${what}: done`);
    await current.refresh();
  } catch (e) {
    if (e.status === 401 || e.status === 403) {
      fail(`Refused (${e.status}): ${e.message}`);
      if (e.status === 401) openTokenDialog();
    } else {
      fail(`${what} failed: ${e.message}`);
    }
  }
}

// ---- banner --------------------------------------------------------------------------------

let bannerTimer = null;
function notify(message) { banner(message, false); }
function fail(message) { banner(message, true); }
function banner(message, isError) {
  const el = document.getElementById('banner');
  document.getElementById('banner-text').textContent = message;
  el.classList.toggle('error', isError);
  el.hidden = false;
  clearTimeout(bannerTimer);
  if (!isError) bannerTimer = setTimeout(() => { el.hidden = true; }, 5000);
}

function readFailure(e) {
  if (e.status === 401 || e.status === 403) {
    fail(`Refused (${e.status}): ${e.message}`);
    openTokenDialog();
  } else {
    fail(e.message);
  }
}

// ---- token dialog --------------------------------------------------------------------------

function openTokenDialog() {
  const dialog = document.getElementById('token-dialog');
  document.getElementById('token-input').value = session.token;
  document.getElementById('actor-input').value = session.actor;
  if (!dialog.open) dialog.showModal();
}

function updateSignin() {
  const btn = document.getElementById('signin');
  btn.textContent = session.token ? `Signed in${session.actor ? ` as ${session.actor}` : ''}` : 'Sign in';
  btn.classList.toggle('btn-primary', !session.token);
}

function wireChrome() {
  document.getElementById('signin').addEventListener('click', openTokenDialog);
  document.getElementById('token-cancel').addEventListener('click', () => document.getElementById('token-dialog').close());
  document.getElementById('token-save').addEventListener('click', () => {
    session.token = document.getElementById('token-input').value.trim();
    session.actor = document.getElementById('actor-input').value.trim();
    document.getElementById('token-dialog').close();
    updateSignin();
    reconnectEvents();
    render();
  });
  document.getElementById('token-clear').addEventListener('click', () => {
    session.token = '';
    document.getElementById('token-input').value = '';
    document.getElementById('token-dialog').close();
    updateSignin();
  });
  document.getElementById('banner-close').addEventListener('click', () => { document.getElementById('banner').hidden = true; });
  document.getElementById('rescan').addEventListener('click', () => act('/api/rescan', 'Rescan'));
  updateSignin();
}

// ---- live updates --------------------------------------------------------------------------

let eventAbort = null;
let refreshTimer = null;

function setLive(state, text) {
  const el = document.getElementById('live');
  el.dataset.state = state;
  document.getElementById('live-text').textContent = text;
}

// fetch() rather than EventSource: EventSource cannot send the Authorization header that a
// dashboard configured to protect reads needs.
async function connectEvents() {
  const abort = new AbortController();
  eventAbort = abort;
  try {
    const res = await fetch('/api/events', { headers: headers(), signal: abort.signal });
    if (!res.ok) throw new ApiError(res.status, 'live updates refused');
    setLive('live', 'Live');
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        onFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  } catch (e) {
    if (abort.signal.aborted) return;
  }
  if (abort.signal.aborted) return;
  setLive('reconnecting', 'Reconnecting');
  setTimeout(() => { if (eventAbort === abort) connectEvents(); }, 3000);
}

function reconnectEvents() {
  if (eventAbort) eventAbort.abort();
  setLive('connecting', 'Connecting');
  connectEvents();
}

function onFrame(frame) {
  let name = 'message';
  let data = '';
  for (const line of frame.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data += line.slice(5).trim();
  }
  if (name !== 'fleet' && name !== 'resync') return;
  let event = {};
  try { event = JSON.parse(data || '{}'); } catch (e) { event = {}; }
  if (current.concerns && name === 'fleet' && !current.concerns(event)) return;
  // Bursts of events (a wave finishing) collapse into one refresh.
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    current.refresh().catch(readFailure);
    refreshAttentionCount();
  }, 200);
}

async function refreshAttentionCount() {
  try {
    const body = await api('/api/attention');
    const pill = document.getElementById('attention-count');
    pill.textContent = String(body.items.length);
    pill.hidden = body.items.length === 0;
  } catch (e) {
    // The page itself reports read failures; the counter just stays as it was.
  }
}

// ---- routing -------------------------------------------------------------------------------

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query || '') };
}

async function render() {
  const { parts, params } = route();
  document.querySelectorAll('[data-nav]').forEach((a) => a.classList.remove('active'));
  const view = document.getElementById('view');
  current = { refresh: async () => {} };
  let page;
  if (parts[0] === 'campaigns' && parts[1]) page = campaignPage(parts[1], params);
  else if (parts[0] === 'repos' && parts.length >= 3) page = repoPage(parts[1], parts.slice(2).join('/'));
  else if (parts[0] === 'attention') page = attentionPage();
  else if (parts[0] === 'plans' && parts[1]) page = planPage(parts[1]);
  else if (parts[0] === 'plans') page = plansPage(params.get('campaign') || '');
  else if (parts[0] === 'teams' && parts[1]) page = teamPage(parts[1]);
  else if (parts[0] === 'teams') page = teamsPage();
  else page = overviewPage();
  document.querySelector(`[data-nav="${page.nav}"]`)?.classList.add('active');
  replace(view, page.root);
  current = page;
  view.dataset.loaded = 'false';
  try {
    await page.refresh();
    // Lets tests and the screenshot tool wait for data rather than for time.
    view.dataset.loaded = 'true';
  } catch (e) {
    readFailure(e);
  }
}

// ---- fleet overview ------------------------------------------------------------------------

function overviewPage() {
  const tiles = h('div', { class: 'tiles' });
  const body = h('div', { class: 'panel', id: 'campaigns' });
  const root = h('div', {},
    h('div', { class: 'page-head' }, h('h1', { text: 'Fleet' }),
      h('span', { class: 'sub', text: 'Every campaign and how far it has come' })),
    tiles, body);

  async function refresh() {
    const [{ campaigns }, attention] = await Promise.all([api('/api/campaigns'), api('/api/attention')]);
    const active = campaigns.filter((c) => c.status === 'ACTIVE').length;
    const open = campaigns.reduce((n, c) => n + c.open, 0);
    const merged = campaigns.reduce((n, c) => n + c.merged, 0);
    replace(tiles,
      tile('Campaigns', campaigns.length, `${active} active`, 'campaigns'),
      tile('Open changesets', open, 'not yet merged or settled', 'open'),
      tile('Merged', merged, 'pull requests merged', 'merged'),
      tile('Needs attention', attention.items.length, 'stuck or failing', 'attention'));
    replace(body, campaignTable(campaigns));
    paintSwatches(root);
  }
  return { root, refresh, nav: 'fleet' };
}

function tile(label, value, hint, key) {
  return h('div', { class: 'tile', dataset: { tile: key } },
    h('div', { class: 'label', text: label }),
    h('div', { class: 'value', text: typeof value === 'string' ? value : num(value) }),
    h('div', { class: 'hint', text: hint }));
}

function campaignTable(campaigns) {
  if (campaigns.length === 0) {
    return h('div', { class: 'empty', text: 'No campaigns yet. Launch one with `flotilla campaign apply`.' });
  }
  const present = new Set();
  campaigns.forEach((c) => Object.keys(c.counts).forEach((k) => present.add(k)));
  const rows = campaigns.map((c) => h('tr', { dataset: { campaign: c.name } },
    h('td', {},
      h('a', { href: campaignHref(c.name), text: c.name, class: 'campaign-link' }),
      h('div', { class: 'muted', text: c.migration || '' })),
    h('td', {}, statusBadge(c.status),
      c.statusReason ? h('span', { class: 'reason', dataset: { field: 'reason' }, text: c.statusReason }) : null),
    h('td', { class: 'bar-cell' }, progressBar(c),
      h('div', { class: 'bar-caption' },
        h('span', { dataset: { field: 'merged' }, text: num(c.merged) }), ' merged · ',
        h('span', { dataset: { field: 'open' }, text: num(c.open) }), ' open · ',
        h('span', { dataset: { field: 'total' }, text: num(c.total) }), ' total')),
    h('td', { class: 'num', dataset: { field: 'merge-rate' } }, pct(c.mergeRate),
      h('div', { class: 'muted', text: `${c.mergesPerDay}/day` })),
    h('td', { class: 'num', text: date(c.startedAt) }),
    h('td', { class: 'num', dataset: { field: 'eta' }, text: eta(c) })));
  return h('div', {},
    h('table', {},
      h('thead', {}, h('tr', {},
        h('th', { text: 'Campaign' }), h('th', { text: 'Status' }), h('th', { text: 'Progress' }),
        h('th', { text: 'Merge rate' }), h('th', { text: 'Started' }), h('th', { text: 'Est. completion' }))),
      h('tbody', {}, rows)),
    h('div', { class: 'legend' }, STATES.filter((st) => present.has(st)).map((st) =>
      h('span', { dataset: { state: st } }, h('span', { class: 'swatch' }), stateLabel(st)))));
}

function eta(c) {
  if (c.status === 'COMPLETED' || (c.open === 0 && c.total > 0)) return 'done';
  if (c.status !== 'ACTIVE') return '—';
  return c.estimatedCompletion ? date(c.estimatedCompletion) : 'no recent merges';
}

function progressBar(c) {
  const bar = h('div', { class: 'bar', role: 'img', 'aria-label': `${c.merged} of ${c.total} merged` });
  for (const state of STATES) {
    const n = c.counts[state] || 0;
    if (n === 0) continue;
    const seg = h('span', { dataset: { state, count: String(n) }, title: `${stateLabel(state)}: ${num(n)}` });
    seg.style.width = `${(n / c.total) * 100}%`;
    seg.style.background = COLORS[state];
    bar.append(seg);
  }
  return bar;
}

// ---- campaign page -------------------------------------------------------------------------

function campaignPage(name, params) {
  const filter = {
    state: params.get('state') || '',
    owner: params.get('owner') || '',
    q: params.get('q') || '',
    sort: params.get('sort') || 'repository',
    offset: Number(params.get('offset')) || 0,
  };
  const head = h('div', { class: 'page-head' });
  const stats = h('dl', { class: 'kv' });
  const chart = h('div', { class: 'chart' });
  const chips = h('div', { class: 'chips', id: 'state-chips' });
  const tbody = h('tbody', {});
  const pager = h('div', { class: 'pager' });
  const stateSelect = h('select', { id: 'filter-state', 'aria-label': 'State' },
    h('option', { value: '', text: 'All states' }),
    STATES.map((st) => h('option', { value: st, text: stateLabel(st) })));
  stateSelect.value = filter.state;
  const ownerInput = h('input', { id: 'filter-owner', type: 'text', placeholder: 'Owner team', value: filter.owner });
  const textInput = h('input', { id: 'filter-q', type: 'search', placeholder: 'Search repository or error…', value: filter.q });
  const headers = [['repository', 'Repository'], ['state', 'State'], [null, 'Pull request'], [null, 'CI'],
    ['owner', 'Owner'], [null, 'Last error'], ['stateSince', 'Time in state'], [null, '']];
  const thead = h('thead', {}, h('tr', {}, headers.map(([key, label]) =>
    h('th', { dataset: key ? { sort: key } : {}, text: label, onclick: key ? () => sortBy(key) : null }))));

  const root = h('div', {},
    h('div', { class: 'crumbs' }, link('#/', 'Fleet'), ' / campaign'),
    head,
    h('div', { class: 'grid-2' },
      h('div', { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', { text: 'Burndown' })),
        chart,
        h('div', { class: 'chart-legend' },
          h('span', {}, h('span', { class: 'k', dataset: { color: 'open' } }), 'open'),
          h('span', {}, h('span', { class: 'k', dataset: { color: 'merged' } }), 'merged'))),
      h('div', { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', { text: 'Progress' })),
        h('div', { class: 'panel-body' }, stats))),
    h('div', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', { text: 'Repositories' }), chips),
      h('div', { class: 'filters' }, stateSelect, ownerInput, textInput),
      h('table', { id: 'changesets' }, thead, tbody),
      pager));
  root.querySelector('[data-color="open"]').style.background = '#f59e0b';
  root.querySelector('[data-color="merged"]').style.background = '#16a34a';

  let typing = null;
  stateSelect.addEventListener('change', () => { filter.state = stateSelect.value; filter.offset = 0; reloadTable(); });
  for (const input of [ownerInput, textInput]) {
    input.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => {
        filter.owner = ownerInput.value.trim();
        filter.q = textInput.value.trim();
        filter.offset = 0;
        reloadTable();
      }, 250);
    });
  }

  function sortBy(key) {
    filter.sort = filter.sort === key ? `-${key}` : key;
    filter.offset = 0;
    reloadTable();
  }

  function query() {
    const q = new URLSearchParams();
    if (filter.state) q.set('state', filter.state);
    if (filter.owner) q.set('owner', filter.owner);
    if (filter.q) q.set('q', filter.q);
    if (filter.sort !== 'repository') q.set('sort', filter.sort);
    if (filter.offset) q.set('offset', String(filter.offset));
    return q;
  }

  async function reloadTable() {
    const q = query();
    // Keep the address shareable without triggering a re-render.
    history.replaceState(null, '', `${campaignHref(name)}${q.toString() ? `?${q}` : ''}`);
    q.set('limit', String(PAGE_SIZE));
    try {
      renderTable(await api(`/api/campaigns/${encodeURIComponent(name)}/changesets?${q}`));
    } catch (e) {
      readFailure(e);
    }
  }

  function renderTable(page) {
    thead.querySelectorAll('th[data-sort]').forEach((th) => {
      th.querySelector('.arrow')?.remove();
      const key = th.dataset.sort;
      if (filter.sort === key || filter.sort === `-${key}`) {
        th.append(h('span', { class: 'arrow', text: filter.sort.startsWith('-') ? '↓' : '↑' }));
      }
    });
    if (page.items.length === 0) {
      replace(tbody, h('tr', {}, h('td', { colspan: '8', class: 'empty', text: 'No repository matches these filters.' })));
    } else {
      replace(tbody, ...page.items.map(changesetRow));
    }
    paintSwatches(tbody);
    const first = page.total === 0 ? 0 : page.offset + 1;
    const last = page.offset + page.items.length;
    replace(pager,
      h('span', { id: 'page-info', text: `${num(first)}–${num(last)} of ${num(page.total)}` }),
      h('span', { class: 'spacer' }),
      h('button', { class: 'btn', id: 'page-prev', type: 'button', disabled: page.offset === 0,
        onclick: () => { filter.offset = Math.max(0, filter.offset - PAGE_SIZE); reloadTable(); }, text: 'Previous' }),
      h('button', { class: 'btn', id: 'page-next', type: 'button', disabled: last >= page.total,
        onclick: () => { filter.offset += PAGE_SIZE; reloadTable(); }, text: 'Next' }));
  }

  function changesetRow(c) {
    return h('tr', { dataset: { repo: c.repository, state: c.state } },
      h('td', {}, link(repoHref(c.repository), c.repository)),
      h('td', {}, stateBadge(c.state)),
      h('td', {}, c.pullRequestUrl ? h('a', { href: c.pullRequestUrl, target: '_blank', rel: 'noopener noreferrer', text: prLabel(c.pullRequestUrl) }) : '—'),
      h('td', { text: c.ciResult || '—' }),
      h('td', { text: c.owner || '—' }),
      h('td', { class: 'error-text', title: c.lastError || '', text: c.lastError || '' }),
      h('td', { class: 'num', text: duration(c.stateSince) }),
      h('td', {}, rowAction(c)));
  }

  // A merge that broke its default branch is undone with a revert pull request in that repository only.
  function rowAction(c) {
    if (RETRYABLE.has(c.state)) {
      return h('button', { class: 'btn btn-small', type: 'button', dataset: { retry: String(c.id) },
        onclick: () => act(`/api/changesets/${c.id}/retry`, 'Retry'), text: 'Retry' });
    }
    if (c.state === 'POST_MERGE_FAILED') {
      return h('button', { class: 'btn btn-small', type: 'button', dataset: { revert: c.repository },
        title: 'Open a pull request that reverts this merge',
        onclick: () => act(`/api/campaigns/${encodeURIComponent(name)}/revert?repo=${encodeURIComponent(c.repository)}`, 'Revert'),
        text: 'Revert' });
    }
    return null;
  }

  function renderHead(c) {
    const actions = [];
    if (c.status === 'ACTIVE' || c.status === 'HALTED') {
      actions.push(h('button', { class: 'btn', id: 'pause', type: 'button', text: 'Pause',
        onclick: () => act(`/api/campaigns/${encodeURIComponent(name)}/pause`, 'Pause') }));
    }
    if (c.status === 'PAUSED' || c.status === 'HALTED') {
      actions.push(h('button', { class: 'btn', id: 'resume', type: 'button', text: 'Resume',
        onclick: () => act(`/api/campaigns/${encodeURIComponent(name)}/resume`, 'Resume') }));
    }
    if ((c.counts.FAILED || 0) > 0) {
      actions.push(h('button', { class: 'btn', id: 'retry-failed', type: 'button', text: `Retry ${num(c.counts.FAILED)} failed`,
        onclick: () => act(`/api/campaigns/${encodeURIComponent(name)}/retry-failed`, 'Retry failed') }));
    }
    replace(head,
      h('h1', { id: 'campaign-name', text: c.name }), statusBadge(c.status),
      c.statusReason ? h('span', { class: 'reason', text: c.statusReason }) : null,
      h('span', { class: 'sub', text: c.migration || '' }),
      h('a', { id: 'campaign-plans', href: `#/plans?campaign=${encodeURIComponent(name)}`, text: 'Plans' }),
      h('span', { class: 'spacer' }), ...actions);
    replace(stats,
      h('dt', { text: 'Total' }), h('dd', { dataset: { field: 'total' }, text: num(c.total) }),
      h('dt', { text: 'Merged' }), h('dd', { dataset: { field: 'merged' }, text: `${num(c.merged)} (${pct(c.mergeRate)})` }),
      h('dt', { text: 'Open' }), h('dd', { dataset: { field: 'open' }, text: num(c.open) }),
      h('dt', { text: 'Merges per day' }), h('dd', { text: `${c.mergesPerDay} (last 7 days)` }),
      h('dt', { text: 'Started' }), h('dd', { text: dateTime(c.startedAt) }),
      h('dt', { text: 'Est. completion' }), h('dd', { text: eta(c) }),
      h('dt', { text: 'Progress' }), h('dd', {}, progressBar(c)));
    replace(chips, ...STATES.filter((st) => c.counts[st]).map((st) =>
      h('button', { class: `chip${filter.state === st ? ' on' : ''}`, type: 'button', dataset: { state: st, count: String(c.counts[st]) },
        onclick: () => {
          filter.state = filter.state === st ? '' : st;
          stateSelect.value = filter.state;
          filter.offset = 0;
          chips.querySelectorAll('.chip').forEach((ch) => ch.classList.toggle('on', ch.dataset.state === filter.state));
          reloadTable();
        } }, h('span', { class: 'swatch' }), `${stateLabel(st)} ${num(c.counts[st])}`)));
    paintSwatches(root);
  }

  async function refresh() {
    const q = query();
    q.set('limit', String(PAGE_SIZE));
    const [detail, burndown] = await Promise.all([
      api(`/api/campaigns/${encodeURIComponent(name)}?${q}`),
      api(`/api/campaigns/${encodeURIComponent(name)}/burndown`)]);
    renderHead(detail.campaign);
    renderTable(detail.changesets);
    replace(chart, burndownChart(burndown.points));
  }

  return {
    root, refresh, nav: 'fleet',
    concerns: (event) => !event.campaign || event.campaign === name,
  };
}

function prLabel(url) {
  const m = url.match(/\/(?:pull|pulls)\/(\d+)/);
  return m ? `#${m[1]}` : 'open';
}

function burndownChart(points) {
  const W = 720; const H = 240; const L = 48; const R = 16; const T = 16; const B = 30;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Open and merged changesets over time', id: 'burndown' });
  if (!points || points.length === 0) {
    svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', text: 'No history yet' }));
    return svg;
  }
  const xs = points.map((p) => new Date(p.at).getTime());
  const x0 = Math.min(...xs); const x1 = Math.max(...xs);
  const max = Math.max(1, ...points.map((p) => Math.max(p.open, p.merged)));
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  const x = (t) => L + (x1 === x0 ? (W - L - R) / 2 : ((t - x0) / (x1 - x0)) * (W - L - R));
  const y = (v) => T + (1 - v / yMax) * (H - T - B);
  for (let v = 0; v <= yMax; v += step) {
    svg.append(s('line', { class: 'grid', x1: L, x2: W - R, y1: y(v), y2: y(v) }));
    svg.append(s('text', { x: L - 8, y: y(v) + 4, 'text-anchor': 'end', text: num(Math.round(v)) }));
  }
  svg.append(s('line', { class: 'axis', x1: L, x2: W - R, y1: y(0), y2: y(0) }));
  const ticks = x1 === x0 ? [x0] : [x0, x0 + (x1 - x0) / 2, x1];
  ticks.forEach((t, i) => svg.append(s('text', {
    x: x(t), y: H - 8, 'text-anchor': ticks.length === 1 ? 'middle' : ['start', 'middle', 'end'][i], text: date(new Date(t).toISOString()),
  })));
  const path = (key) => points.map((p, i) => `${i ? 'L' : 'M'}${x(xs[i]).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  svg.append(s('path', { class: 'area-merged', d: `${path('merged')} L${x(x1).toFixed(1)},${y(0)} L${x(x0).toFixed(1)},${y(0)} Z` }));
  svg.append(s('path', { class: 'line-merged', d: path('merged') }));
  svg.append(s('path', { class: 'line-open', d: path('open') }));
  const lastPoint = points[points.length - 1];
  svg.append(s('circle', { cx: x(x1), cy: y(lastPoint.open), r: 3.5, fill: '#f59e0b' }));
  svg.append(s('circle', { cx: x(x1), cy: y(lastPoint.merged), r: 3.5, fill: '#16a34a' }));
  return svg;
}

// The smallest round step (1, 2 or 5 times a power of ten) that covers max in at most five gridlines.
function niceStep(max) {
  for (let mag = 1; ; mag *= 10) {
    for (const m of [1, 2, 5]) if (Math.ceil(max / (m * mag)) <= 5) return m * mag;
  }
}

// ---- repository page -----------------------------------------------------------------------

function repoPage(owner, name) {
  const full = `${owner}/${name}`;
  const head = h('div', { class: 'page-head' }, h('h1', { id: 'repo-name', text: full }));
  const table = h('div', { class: 'panel' });
  const optin = h('div', { class: 'panel-body' });
  const root = h('div', {},
    h('div', { class: 'crumbs' }, link('#/', 'Fleet'), ' / repository'),
    head,
    h('div', { class: 'grid-2' },
      table,
      h('div', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, h('code', { text: '.flotilla.yaml' }))), optin)));

  async function refresh() {
    const r = await api(`/api/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`);
    replace(head, h('h1', { id: 'repo-name', text: r.repository }),
      r.owner ? h('span', { class: 'sub', id: 'repo-owner' }, 'owned by ',
        r.ownerSource && r.ownerSource !== 'organisation' ? link(teamHref(r.owner), r.owner) : r.owner,
        ` (${ownerSourceLabel(r)})`) : null,
      h('span', { class: 'spacer' }),
      r.url ? h('a', { class: 'btn', href: r.url, target: '_blank', rel: 'noopener noreferrer', text: 'Open on forge' }) : null);
    replace(table,
      h('div', { class: 'panel-head' }, h('h2', { text: 'Campaigns on this repository' })),
      r.changesets.length === 0
        ? h('div', { class: 'empty', text: 'No campaign has touched this repository.' })
        : h('table', { id: 'repo-changesets' },
          h('thead', {}, h('tr', {}, ['Campaign', 'State', 'Pull request', 'CI', 'Last error', 'Time in state'].map((t) => h('th', { text: t })))),
          h('tbody', {}, r.changesets.map((c) => h('tr', { dataset: { campaign: c.campaign, state: c.state } },
            h('td', {}, link(campaignHref(c.campaign), c.campaign)),
            h('td', {}, stateBadge(c.state)),
            h('td', {}, c.pullRequestUrl ? h('a', { href: c.pullRequestUrl, target: '_blank', rel: 'noopener noreferrer', text: prLabel(c.pullRequestUrl) }) : '—'),
            h('td', { text: c.ciResult || '—' }),
            h('td', { class: 'error-text', title: c.lastError || '', text: c.lastError || '' }),
            h('td', { class: 'num', text: duration(c.stateSince) }))))));
    const badLine = Number((r.optInError || '').match(/line (\d+)/)?.[1] || 0);
    replace(optin,
      r.optInError ? h('div', { class: 'error-box', id: 'optin-error', text: r.optInError }) : null,
      r.optInFile === null || r.optInFile === undefined
        ? h('div', { class: 'muted', text: 'This repository has no .flotilla.yaml, so it is not opted in.' })
        : h('pre', { class: 'optin', id: 'optin-file' }, r.optInFile.replace(/\n$/, '').split('\n').map((line, i) =>
          h('span', { class: i + 1 === badLine ? 'bad' : null, text: line }))),
      h('div', { class: 'muted scanned', text: `Scanned ${dateTime(r.scannedAt)}` }));
    paintSwatches(root);
  }
  return { root, refresh, nav: 'fleet', concerns: (e) => !e.repository || e.repository === full };
}

// ---- teams ---------------------------------------------------------------------------------

function teamHref(team) { return `#/teams/${encodeURIComponent(team)}`; }

const OWNER_SOURCES = {
  backstage: 'from Backstage', 'catalog-info': 'from catalog-info.yaml', codeowners: 'from CODEOWNERS',
  'opt-in': 'from .flotilla.yaml', organisation: 'the forge organisation; no source names a team',
};

function ownerSourceLabel(r) {
  const label = OWNER_SOURCES[r.ownerSource] || r.ownerSource;
  return r.ownerStale ? `${label}, as of ${dateTime(r.ownerAsOf)}: the catalog is unreachable` : label;
}

function hours(h) { return h === null || h === undefined ? '—' : `${h} h`; }

// ---- plans ---------------------------------------------------------------------------------

const VERDICTS = ['WOULD_CHANGE', 'NO_CHANGE', 'NOT_APPLICABLE', 'NEEDS_HUMAN', 'REFUSED', 'FAILED', 'PENDING', 'RUNNING'];

function planHref(id) { return `#/plans/${encodeURIComponent(id)}`; }

function verdictBadge(verdict) {
  return h('span', { class: `badge verdict-${verdict.toLowerCase()}`, text: stateLabel(verdict) });
}

function plansPage(campaign) {
  const body = h('div', { class: 'panel' });
  const root = h('div', {},
    h('div', { class: 'page-head' }, h('h1', { text: campaign ? `Plans of ${campaign}` : 'Plans' }),
      h('span', { class: 'sub', text: 'Dry runs of a campaign file over the fleet: what it would change, repository by repository' })),
    body);

  async function refresh() {
    const q = campaign ? `?campaign=${encodeURIComponent(campaign)}` : '';
    const { plans } = await api(`/api/plans${q}`);
    replace(body, plans.length === 0
      ? h('div', { class: 'empty', text: 'No plans yet: make one with flotilla campaign plan -f FILE, or POST the campaign file to /api/plans.' })
      : h('table', { id: 'plans' },
        h('thead', {}, h('tr', {}, ['Plan', 'Campaign', 'Status', 'Would change', 'No change', 'Not applicable',
          'Needs a person', 'Refused', 'Failed', 'Requested'].map((t) => h('th', { text: t })))),
        h('tbody', {}, plans.map((p) => h('tr', { dataset: { plan: String(p.id) } },
          h('td', {}, link(planHref(p.id), `#${p.id}`)),
          h('td', {}, link(campaignHref(p.campaign), p.campaign)),
          h('td', {}, statusBadge(p.status)),
          ...['WOULD_CHANGE', 'NO_CHANGE', 'NOT_APPLICABLE', 'NEEDS_HUMAN', 'REFUSED', 'FAILED'].map((v) =>
            h('td', { class: 'num', dataset: { verdict: v }, text: num(p.counts[v]) })),
          h('td', { text: `${dateTime(p.createdAt)} by ${p.requestedBy}` }))))));
  }
  return { root, refresh, nav: 'plans', concerns: (event) => !event.campaign || event.campaign === campaign || !campaign };
}

function planPage(id) {
  const head = h('div', { class: 'page-head' });
  const tiles = h('div', { class: 'tiles' });
  const body = h('div', { class: 'panel' });
  const root = h('div', {}, head, tiles, body);

  async function refresh() {
    const { plan, repositories } = await api(`/api/plans/${encodeURIComponent(id)}`);
    replace(head,
      h('h1', { id: 'plan-name', text: `Plan #${plan.id}` }), statusBadge(plan.status),
      h('span', { class: 'sub' }, 'of ', link(campaignHref(plan.campaign), plan.campaign),
        ` · file ${plan.sourceHash.substring(0, 12)} · ${dateTime(plan.createdAt)} by ${plan.requestedBy}`));
    replace(tiles,
      tile('Would change', plan.counts.WOULD_CHANGE, 'a pull request each', 'would-change'),
      tile('Nothing to do', plan.counts.NO_CHANGE + plan.counts.NOT_APPLICABLE, 'no change or not applicable', 'nothing'),
      tile('Needs a person', plan.counts.NEEDS_HUMAN, 'left alone on purpose', 'needs-human'),
      tile('Refused or failed', plan.counts.REFUSED + plan.counts.FAILED,
        plan.counts.PENDING + plan.counts.RUNNING > 0 ? `${plan.counts.PENDING + plan.counts.RUNNING} still to go` : 'not eligible, or the dry run failed', 'refused'));
    replace(body, h('table', { id: 'plan-repositories' },
      h('thead', {}, h('tr', {}, ['Repository', 'Verdict', 'Changes', 'Why', 'Data tables'].map((t) => h('th', { text: t })))),
      h('tbody', {}, repositories.flatMap((r) => {
        const row = h('tr', { dataset: { repo: r.repository, verdict: r.verdict } },
          h('td', {}, link(repoHref(r.repository), r.repository)),
          h('td', {}, verdictBadge(r.verdict)),
          h('td', { class: 'num', text: r.verdict === 'WOULD_CHANGE' ? `${r.filesChanged} files +${r.insertions} −${r.deletions}` : '' }),
          h('td', { class: 'reason', text: r.reason || '' }),
          h('td', {}, ...r.dataTables.map((t) => h('a', { class: 'datatable', href: `/api/runs/${encodeURIComponent(r.runId)}/datatables/${encodeURIComponent(t)}.csv`, text: t }))));
        if (!r.diff) return [row];
        return [row, h('tr', { class: 'diff-row', dataset: { diffOf: r.repository } },
          h('td', { colspan: '5' }, h('details', {}, h('summary', { text: `Diff of ${r.repository}` }),
            h('pre', { class: 'diff', text: r.diff }))))];
      }))));
  }
  return { root, refresh, nav: 'plans' };
}

function teamsPage() {
  const body = h('div', { class: 'panel' });
  const root = h('div', {},
    h('div', { class: 'page-head' }, h('h1', { text: 'Teams' }),
      h('span', { class: 'sub', text: 'Quickest to merge first: median time from pull request to merge, then fewest open' })),
    body);

  async function refresh() {
    const { teams } = await api('/api/teams');
    replace(body, teams.length === 0
      ? h('div', { class: 'empty', text: 'No repository names an owning team yet: add catalog-info.yaml, CODEOWNERS or owner: in .flotilla.yaml.' })
      : h('table', { id: 'teams' },
        h('thead', {}, h('tr', {}, ['#', 'Team', 'Median to merge', 'Open', 'Waiting on the team', 'Merged', 'Failed', 'Repositories']
          .map((t) => h('th', { text: t })))),
        h('tbody', {}, teams.map((t, i) => h('tr', { dataset: { team: t.team } },
          h('td', { class: 'num', text: String(i + 1) }),
          h('td', {}, link(teamHref(t.team), t.team)),
          h('td', { class: 'num', text: hours(t.medianHoursToMerge) }),
          h('td', { class: 'num', text: num(t.open) }),
          h('td', { class: 'num', dataset: { waiting: String(t.waitingOnTeam) }, text: num(t.waitingOnTeam) }),
          h('td', { class: 'num', text: num(t.merged) }),
          h('td', { class: 'num', text: num(t.failed) }),
          h('td', { class: 'num', text: num(t.repositories) }))))));
  }
  return { root, refresh, nav: 'teams' };
}

function teamPage(team) {
  const head = h('div', { class: 'page-head' }, h('h1', { id: 'team-name', text: team }));
  const tiles = h('div', { class: 'tiles' });
  const waiting = h('div', { class: 'panel' });
  const others = h('div', { class: 'panel' });
  const chart = h('div', { class: 'panel-body' });
  const repos = h('div', { class: 'panel' });
  const root = h('div', {},
    h('div', { class: 'crumbs' }, link('#/teams', 'Teams'), ' / team'),
    head, tiles, waiting,
    h('div', { class: 'grid-2' },
      h('div', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', { text: 'Burndown' })), chart),
      repos),
    others);

  function rows(changesets, id) {
    return h('table', { id },
      h('thead', {}, h('tr', {}, ['Repository', 'Campaign', 'State', 'Pull request', 'What to do', 'Why', 'Time in state'].map((t) => h('th', { text: t })))),
      h('tbody', {}, changesets.map((c) => h('tr', { dataset: { repo: c.repository, campaign: c.campaign, state: c.state, waiting: c.waitingOn } },
        h('td', {}, link(repoHref(c.repository), c.repository)),
        h('td', {}, link(campaignHref(c.campaign), c.campaign)),
        h('td', {}, stateBadge(c.state)),
        h('td', {}, c.pullRequestUrl ? h('a', { href: c.pullRequestUrl, target: '_blank', rel: 'noopener noreferrer',
          text: c.pullRequestNumber ? `#${c.pullRequestNumber}` : prLabel(c.pullRequestUrl) }) : '—'),
        h('td', { class: 'next', text: c.action }),
        h('td', { class: 'error-text', title: c.reason || '', text: c.reason || '' }),
        h('td', { class: 'num', text: duration(c.stateSince) })))));
  }

  async function refresh() {
    const t = await api(`/api/teams/${encodeURIComponent(team)}`);
    const mine = t.changesets.filter((c) => c.waitingOn === 'team');
    const rest = t.changesets.filter((c) => c.waitingOn !== 'team');
    replace(tiles,
      tile('Waiting on the team', t.summary.waitingOnTeam, 'reviews, failing CI, fixes', 'waiting'),
      tile('Open', t.summary.open, 'not yet merged or settled', 'open'),
      tile('Merged', t.summary.merged, 'pull requests merged', 'merged'),
      tile('Median to merge', hours(t.summary.medianHoursToMerge), 'from pull request to merge', 'median'));
    replace(waiting, h('div', { class: 'panel-head' }, h('h2', { text: 'Waiting on the team' })),
      mine.length === 0 ? h('div', { class: 'empty', text: 'Nothing waits on this team. Well done.' }) : rows(mine, 'team-waiting'));
    replace(others, h('div', { class: 'panel-head' }, h('h2', { text: 'Everything else' })),
      rest.length === 0 ? h('div', { class: 'empty', text: 'No other changesets.' }) : rows(rest, 'team-others'));
    replace(chart, burndownChart(t.burndown.map((d) => ({ at: `${d.day}T23:59:59Z`, open: d.open, merged: d.merged }))));
    replace(repos, h('div', { class: 'panel-head' }, h('h2', { text: 'Repositories' })),
      h('table', { id: 'team-repos' },
        h('thead', {}, h('tr', {}, ['Repository', 'Owner from'].map((x) => h('th', { text: x })))),
        h('tbody', {}, t.repositories.map((r) => h('tr', { dataset: { repo: r.repository, source: r.ownerSource } },
          h('td', {}, link(repoHref(r.repository), r.repository)),
          h('td', { class: r.ownerStale ? 'error-text' : null, text: ownerSourceLabel(r) }))))));
    paintSwatches(root);
  }
  return { root, refresh, nav: 'teams' };
}

// ---- needs attention -----------------------------------------------------------------------

function attentionPage() {
  const body = h('div', { class: 'panel' });
  const sub = h('span', { class: 'sub' });
  const root = h('div', {},
    h('div', { class: 'page-head' }, h('h1', { text: 'Needs attention' }), sub), body);

  async function refresh() {
    const r = await api('/api/attention');
    sub.textContent = `Failed runs, failing CI, conflicts, invalid opt-in files and pull requests open longer than ${r.staleAfterDays} days`;
    replace(body, r.items.length === 0
      ? h('div', { class: 'empty', text: 'Nothing is stuck. Well done.' })
      : h('table', { id: 'attention' },
        h('thead', {}, h('tr', {}, ['Problem', 'Repository', 'Campaign', 'Reason', 'Since', 'Next action', ''].map((t) => h('th', { text: t })))),
        h('tbody', {}, r.items.map((a) => h('tr', { dataset: { kind: a.kind, repo: a.repository } },
          h('td', {}, h('span', { class: `badge kind kind-${a.kind}`, text: stateLabel(a.kind) })),
          h('td', {}, link(repoHref(a.repository), a.repository)),
          h('td', {}, a.campaign ? link(campaignHref(a.campaign), a.campaign) : '—'),
          h('td', { class: 'error-text', title: a.reason, text: a.reason }),
          h('td', { class: 'num', text: duration(a.since) }),
          h('td', { class: 'next' }, a.url ? h('a', { href: a.url, target: '_blank', rel: 'noopener noreferrer', text: a.nextAction }) : a.nextAction),
          h('td', {}, a.changesetId !== null && a.changesetId !== undefined
            ? h('button', { class: 'btn btn-small', type: 'button', dataset: { retry: String(a.changesetId) },
              onclick: () => act(`/api/changesets/${a.changesetId}/retry`, 'Retry'), text: 'Retry' })
            : null))))));
  }
  return { root, refresh, nav: 'attention' };
}

// ---- start ---------------------------------------------------------------------------------

async function start() {
  wireChrome();
  try {
    serverSession = await api('/api/session');
  } catch (e) {
    fail(`The dashboard server did not answer: ${e.message}`);
  }
  document.getElementById('rescan').hidden = !serverSession.actionsEnabled;
  if (serverSession.readsNeedToken && !session.token) openTokenDialog();
  window.addEventListener('hashchange', render);
  render();
  refreshAttentionCount();
  connectEvents();
}

document.addEventListener('DOMContentLoaded', start);

// The latent explorer: draws each run's latent points and decodes any point
// with the run's decoder, in plain JavaScript. The data comes from the JSON
// element written by explorer.rs (see its documentation for the layout).
'use strict';
(function () {
  const RUNS = JSON.parse(document.getElementById('explorer-data').textContent);
  const SIDE = 28;
  // The report's digit colours, as in its scatter plots: Paul Tol's
  // colour-blind-safe "muted" scheme plus a dark grey (see CLASS_PALETTE in
  // crates/plots/src/style.rs, whose test checks that the two agree).
  const COLOURS = ['#332288', '#88ccee', '#44aa99', '#117733', '#999933',
    '#ddcc77', '#cc6677', '#882255', '#aa4499', '#555555'];
  const ACT = {
    relu: (x) => (x > 0 ? x : 0),
    sigmoid: (x) => 1 / (1 + Math.exp(-x)),
    tanh: Math.tanh,
    identity: (x) => x,
  };
  const $ = (id) => document.getElementById(id);

  // The page's language: Japanese for ?lang=ja, #lang=ja or #ja, else
  // English. The markup carries each static text's Japanese in data-ja
  // (data-ja-label for aria-label); what the script writes is in TEXT.
  const LANG = (() => {
    const q = new URLSearchParams(location.search), h = new URLSearchParams(location.hash.slice(1));
    return (q.get('lang') || h.get('lang') || (h.has('ja') ? 'ja' : 'en')) === 'ja' ? 'ja' : 'en';
  })();
  // Whether the language came from the fragment, which run changes rewrite.
  const LANG_IN_HASH = LANG === 'ja' && !new URLSearchParams(location.search).has('lang');
  const TEXT = {
    en: {
      onPlane: (a, b) => `(a, b) = (${a}, ${b}) on the plane`,
      fullZ: (z) => `z = mean + a·pc1 + b·pc2 = (${z})`,
      picked: (i, digit) => `#${i}, digit ${digit}`,
      nonePicked: 'none (tap a dot)',
      interp: (t, a, da, b, db) => `t = ${t} from A (#${a}, digit ${da}) to B (#${b}, digit ${db})`,
      runInfo: (d, n, plane) => `d = ${d}, ${n} points` + (plane ? ', shown on the PCA plane' : ''),
      option: (name, note) => `${name} (${note})`,
      notes: {},
    },
    ja: {
      onPlane: (a, b) => `平面上の (a, b) = (${a}, ${b})`,
      fullZ: (z) => `z = 平均 + a·pc1 + b·pc2 = (${z})`,
      picked: (i, digit) => `#${i}、数字 ${digit}`,
      nonePicked: 'なし（点をタップ）',
      interp: (t, a, da, b, db) => `t = ${t}（A：#${a}、数字 ${da} → B：#${b}、数字 ${db}）`,
      runInfo: (d, n, plane) => `d = ${d}、${n} 点` + (plane ? '、PCA 平面に表示' : ''),
      option: (name, note) => `${name}（${note}）`,
      notes: { collapsed: '崩壊' },
    },
  }[LANG];
  if (LANG === 'ja') {
    document.documentElement.lang = 'ja';
    for (const el of document.querySelectorAll('[data-ja]')) el.textContent = el.dataset.ja;
    for (const el of document.querySelectorAll('[data-ja-label]')) {
      el.setAttribute('aria-label', el.dataset.jaLabel);
    }
    document.title = document.querySelector('title').dataset.ja;
  }

  // base64 → Float32Array. Float32Array reads the platform's byte order,
  // little-endian on every platform a browser runs on, as the data is.
  function floats(b64) {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  }

  // The latent points: per dimension j a minimum lo[j] and a step, each
  // coordinate a little-endian uint16 q with value lo[j] + q * step[j].
  function points(p, d) {
    const lo = floats(p.lo), step = floats(p.step);
    const bin = atob(p.q);
    const out = new Float32Array(bin.length / 2);
    for (let i = 0; i < out.length; i++) {
      const q = bin.charCodeAt(2 * i) | (bin.charCodeAt(2 * i + 1) << 8);
      out[i] = lo[i % d] + q * step[i % d];
    }
    return out;
  }

  // A run's decoder, points and plane, unpacked on first use only: a report
  // holds a dozen runs and the reader looks at a few.
  const models = new Map();
  function model(run) {
    if (models.has(run.name)) return models.get(run.name);
    const d = run.d;
    const layers = run.layers.map((l) => ({
      n: l.in, m: l.out, act: ACT[l.act], w: floats(l.w), b: floats(l.b),
    }));
    const plane = run.pca && {
      mean: floats(run.pca.mean), pc: [floats(run.pca.pc1), floats(run.pca.pc2)],
    };
    const mus = points(run.points, d);
    const m = { run, d, layers, plane, points: [] };
    for (let i = 0; i < run.labels.length; i++) {
      const mu = mus.subarray(i * d, (i + 1) * d);
      m.points.push({ mu, label: +run.labels[i], xy: project(m, mu) });
    }
    m.box = bounds(m.points.map((p) => p.xy));
    models.set(run.name, m);
    return m;
  }

  // Latent code → plane coordinates (a, b), and back. Without a plane the
  // plane is the (z1, z2) plane itself (d = 2).
  function project(m, z) {
    if (!m.plane) return [z[0], z[1]];
    let a = 0, b = 0;
    for (let i = 0; i < m.d; i++) {
      const c = z[i] - m.plane.mean[i];
      a += c * m.plane.pc[0][i];
      b += c * m.plane.pc[1][i];
    }
    return [a, b];
  }
  function lift(m, xy) {
    if (!m.plane) return [xy[0], xy[1]];
    const { mean, pc } = m.plane;
    return Array.from(mean, (v, i) => v + xy[0] * pc[0][i] + xy[1] * pc[1][i]);
  }

  // The forward pass: for each layer y = act(W·h + b), W row-major out × in,
  // accumulated in double precision; then the output's sigmoid of the logits.
  function decode(m, z) {
    let h = Float64Array.from(z);
    for (const l of m.layers) {
      const y = new Float64Array(l.m);
      for (let o = 0; o < l.m; o++) {
        let s = 0;
        const row = o * l.n;
        for (let i = 0; i < l.n; i++) s += l.w[row + i] * h[i];
        y[o] = l.act(s + l.b[o]);
      }
      h = y;
    }
    return m.run.output === 'sigmoid' ? h.map(ACT.sigmoid) : h;
  }

  // The points' extent with a margin, as a square-ish box [x0, x1, y0, y1].
  // An axis along which the points hardly spread (a collapsed run: μ varies
  // by float rounding) spans ±1 around them instead, so that the dots sit
  // together in the middle and the axis ends read as different numbers.
  const FLAT = 0.01;
  function bounds(xys) {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const [x, y] of xys) {
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
    if (!(x1 >= x0)) { x0 = -1; x1 = 1; y0 = -1; y1 = 1; }
    const pad = (lo, hi) => (hi - lo < FLAT ? 1 - (hi - lo) / 2 : (hi - lo) * 0.08);
    const px = pad(x0, x1), py = pad(y0, y1);
    return [x0 - px, x1 + px, y0 - py, y1 + py];
  }

  // What the reader is looking at.
  const state = { m: null, xy: [0, 0], picked: -1, a: 0, b: 0, t: 0.5 };
  const scatter = $('scatter');
  const ctx = scatter.getContext('2d');
  const MARGIN = 44; // room for tick labels, in canvas pixels

  function toCanvas([x, y]) {
    const [x0, x1, y0, y1] = state.m.box, w = scatter.width - 2 * MARGIN;
    return [MARGIN + ((x - x0) / (x1 - x0)) * w, MARGIN + ((y1 - y) / (y1 - y0)) * w];
  }
  function fromCanvas([cx, cy]) {
    const [x0, x1, y0, y1] = state.m.box, w = scatter.width - 2 * MARGIN;
    return [x0 + ((cx - MARGIN) / w) * (x1 - x0), y1 - ((cy - MARGIN) / w) * (y1 - y0)];
  }

  function drawScatter() {
    const m = state.m, W = scatter.width;
    ctx.clearRect(0, 0, W, W);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, W);
    ctx.strokeStyle = '#888';
    ctx.strokeRect(MARGIN, MARGIN, W - 2 * MARGIN, W - 2 * MARGIN);
    // Axis names and the extreme values at the ends of each axis.
    const [x0, x1, y0, y1] = m.box, names = m.plane ? ['PC1', 'PC2'] : ['z1', 'z2'];
    ctx.fillStyle = '#222';
    ctx.font = '15px sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText(names[0], W / 2, W - 10);
    ctx.fillText(x0.toFixed(2), MARGIN, W - MARGIN + 18);
    ctx.fillText(x1.toFixed(2), W - MARGIN, W - MARGIN + 18);
    ctx.save();
    ctx.translate(16, W / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(names[1], 0, 0);
    ctx.restore();
    ctx.textAlign = 'right';
    ctx.fillText(y1.toFixed(2), MARGIN - 4, MARGIN + 5);
    ctx.fillText(y0.toFixed(2), MARGIN - 4, W - MARGIN);
    ctx.globalAlpha = 0.75;
    for (const p of m.points) {
      const [cx, cy] = toCanvas(p.xy);
      ctx.fillStyle = COLOURS[p.label];
      ctx.beginPath();
      ctx.arc(cx, cy, 3, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    // The interpolation's ends, the line between them and where t is.
    if (m.points.length > 0) {
      const A = toCanvas(m.points[state.a].xy), B = toCanvas(m.points[state.b].xy);
      ctx.strokeStyle = '#000';
      ctx.setLineDash([5, 4]);
      ctx.beginPath(); ctx.moveTo(...A); ctx.lineTo(...B); ctx.stroke();
      ctx.setLineDash([]);
      ring(A, 'A'); ring(B, 'B');
      const T = toCanvas(project(m, interpZ()));
      ctx.fillStyle = '#000';
      ctx.fillRect(T[0] - 3, T[1] - 3, 6, 6);
    }
    if (state.picked >= 0) ring(toCanvas(m.points[state.picked].xy), '');
    // The decoded point: a cross.
    const [px, py] = toCanvas(state.xy);
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(px - 9, py); ctx.lineTo(px + 9, py); ctx.moveTo(px, py - 9); ctx.lineTo(px, py + 9);
    ctx.stroke();
    ctx.lineWidth = 1;
  }
  function ring([x, y], text) {
    ctx.strokeStyle = '#000';
    ctx.beginPath(); ctx.arc(x, y, 7, 0, 2 * Math.PI); ctx.stroke();
    ctx.fillStyle = '#000';
    ctx.textAlign = 'left';
    ctx.font = 'bold 15px sans-serif';
    if (text) ctx.fillText(text, x + 8, y - 8);
    ctx.font = '15px sans-serif';
  }

  // Intensity 0 is black, 1 white (the MNIST look of the report's figures).
  function drawDigit(canvas, pixels) {
    const c = canvas.getContext('2d'), img = c.createImageData(SIDE, SIDE);
    for (let i = 0; i < SIDE * SIDE; i++) {
      const v = Math.round(255 * Math.min(1, Math.max(0, pixels[i])));
      img.data.set([v, v, v, 255], 4 * i);
    }
    c.putImageData(img, 0, 0);
  }

  const fmt = (v) => v.toFixed(3);
  function interpZ() {
    const m = state.m, A = m.points[state.a].mu, B = m.points[state.b].mu;
    return Array.from(A, (v, i) => (1 - state.t) * v + state.t * B[i]);
  }

  // Decodes the cross and the interpolation, redraws everything, and
  // returns the cross's code and image.
  function render(z) {
    const m = state.m;
    z = z || lift(m, state.xy);
    const pixels = decode(m, z);
    drawDigit($('digit'), pixels);
    // For d > 2 the plane coordinates, with the full code folded away.
    $('readout').textContent = m.plane
      ? TEXT.onPlane(fmt(state.xy[0]), fmt(state.xy[1]))
      : `z = (${z.map(fmt).join(', ')})`;
    $('full-z').hidden = !m.plane;
    $('full-z-values').textContent = TEXT.fullZ(z.map(fmt).join(', '));
    const p = m.points[state.picked];
    $('picked').textContent = p ? TEXT.picked(state.picked, p.label) : TEXT.nonePicked;
    $('set-a').disabled = $('set-b').disabled = !p;
    let interp = null;
    if (m.points.length > 0) {
      interp = interpZ();
      drawDigit($('interp'), decode(m, interp));
      const [A, B] = [m.points[state.a], m.points[state.b]];
      $('interp-note').textContent =
        TEXT.interp(state.t.toFixed(2), state.a, A.label, state.b, B.label);
    }
    drawScatter();
    return { z, pixels, interp };
  }

  function showRun(name) {
    const run = RUNS.find((r) => r.name === name) || RUNS[0];
    const m = model(run);
    state.m = m;
    $('run').value = run.name;
    $('run-info').textContent = TEXT.runInfo(m.d, m.points.length, !!m.plane);
    // Start at the centre of the points, with A and B two different digits.
    state.xy = [(m.box[0] + m.box[1]) / 2, (m.box[2] + m.box[3]) / 2];
    state.picked = -1;
    state.a = 0;
    const other = m.points.findIndex((p) => p.label !== (m.points[0] || {}).label);
    state.b = Math.max(0, other);
    $('legend').replaceChildren(...COLOURS.map((c, digit) => {
      const s = document.createElement('span');
      s.style.setProperty('--c', c);
      s.textContent = digit;
      return s;
    }).filter((_, digit) => m.points.some((p) => p.label === digit)));
  }

  // The URL fragment (#run=NAME&z=…): sets the view, and for the test and
  // shared links reports what was decoded.
  function applyHash() {
    const q = new URLSearchParams(location.hash.slice(1));
    showRun(q.get('run'));
    const m = state.m;
    // Numbers from the fragment; a malformed one is ignored, not decoded.
    const nums = (k, n) => {
      if (!q.has(k)) return null;
      const v = q.get(k).split(',').map(Number);
      return v.length === n && v.every(Number.isFinite) ? v : null;
    };
    const index = (k) => {
      const i = Number(q.get(k));
      return q.has(k) && Number.isInteger(i) && i >= 0 && i < m.points.length ? i : null;
    };
    state.a = index('from') ?? state.a;
    state.b = index('to') ?? state.b;
    const t = nums('t', 1);
    if (t) state.t = Math.min(1, Math.max(0, t[0]));
    $('t').value = state.t;
    const z = nums('z', m.d), plane = nums('plane', 2);
    if (z) state.xy = project(m, z);
    if (plane) state.xy = plane;
    const out = render(z);
    if (!(z || plane || t)) return;
    const [zz, pixels] = z || plane || !out.interp
      ? [out.z, out.pixels] : [out.interp, decode(m, out.interp)];
    const probe = {
      run: m.run.name, z: Array.from(zz), pixels: Array.from(pixels),
      scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    };
    $('probe').textContent = JSON.stringify(probe);
    if (window.parent !== window) window.parent.postMessage(probe, '*');
  }

  // Dragging on the plot moves the cross; a tap on a dot selects its image.
  let dragging = false;
  function pointer(e) {
    const r = scatter.getBoundingClientRect(), k = scatter.width / r.width;
    return [(e.clientX - r.left) * k, (e.clientY - r.top) * k];
  }
  scatter.addEventListener('pointerdown', (e) => {
    dragging = true;
    // Keep receiving moves outside the canvas (a synthetic event has no
    // pointer to capture, hence the try).
    try { scatter.setPointerCapture(e.pointerId); } catch (_) { /* nothing to capture */ }
    const c = pointer(e);
    state.xy = fromCanvas(c);
    // The nearest dot within 10 canvas pixels, if any.
    let best = -1, bestD = 100;
    state.m.points.forEach((p, i) => {
      const [x, y] = toCanvas(p.xy), dd = (x - c[0]) ** 2 + (y - c[1]) ** 2;
      if (dd < bestD) { best = i; bestD = dd; }
    });
    if (best >= 0) { state.picked = best; state.xy = state.m.points[best].xy; }
    render();
  });
  scatter.addEventListener('pointermove', (e) => {
    if (!dragging) return;
    state.xy = fromCanvas(pointer(e));
    render();
  });
  scatter.addEventListener('pointerup', () => { dragging = false; });
  $('set-a').addEventListener('click', () => { state.a = state.picked; render(); });
  $('set-b').addEventListener('click', () => { state.b = state.picked; render(); });
  $('t').addEventListener('input', (e) => { state.t = +e.target.value; render(); });
  $('run').addEventListener('change', (e) => {
    const lang = LANG_IN_HASH ? '&lang=ja' : '';
    history.replaceState(null, '', '#run=' + encodeURIComponent(e.target.value) + lang);
    showRun(e.target.value);
    render();
  });
  window.addEventListener('hashchange', applyHash);

  // A handle for the browser test and for a curious reader's console.
  window.latentExplorer = { state, toCanvas, lift, decode };

  for (const r of RUNS) {
    const note = r.note && (TEXT.notes[r.note] || r.note);
    $('run').add(new Option(note ? TEXT.option(r.name, note) : r.name, r.name));
  }
  applyHash();
})();

(() => {
  const d = document, m = d.getElementById('m'), q = d.getElementById('q'), diff = d.getElementById('diff');
  d.documentElement.classList.add('js');
  const rows = [...m.querySelectorAll('tr.case')];
  const secs = (op) => m.querySelectorAll('tbody.sec[data-op="' + op + '"]');
  function apply() {
    const text = q.value.trim().toLowerCase(), only = diff.checked;
    let shown = 0;
    for (const r of rows) {
      const hide = (text !== '' && !r.dataset.id.toLowerCase().includes(text)) || (only && r.dataset.diff !== '1');
      r.classList.toggle('hide', hide);
      if (!hide) shown++;
    }
    m.querySelectorAll('tbody.sec').forEach(b => b.classList.toggle('empty', !b.querySelector('tr.case:not(.hide)')));
    m.querySelectorAll('tbody.op').forEach(b => b.classList.toggle('empty', ![...secs(b.dataset.op)].some(s => !s.classList.contains('empty'))));
    d.getElementById('shown').textContent = shown === rows.length ? rows.length + ' cases' : shown + ' of ' + rows.length + ' cases';
  }
  function fold(b, on) {
    b.classList.toggle('folded', on);
    b.rows[0].setAttribute('aria-expanded', String(!on));
    if (b.classList.contains('op')) secs(b.dataset.op).forEach(s => s.classList.toggle('opfolded', on));
  }
  function act(e) {
    const h = e.target.closest('tr.op-h, tr.sec-h');
    if (h) return fold(h.parentElement, !h.parentElement.classList.contains('folded'));
    const c = e.target.closest('.x');
    if (!c || e.target.closest('tr.detail')) return;
    const row = c.parentElement, det = row.nextElementSibling, t = c.dataset.t || '';
    const close = det.classList.contains('open') && det.dataset.f === t;
    det.classList.toggle('open', !close);
    row.classList.toggle('open', !close);
    det.dataset.f = t;
    det.querySelectorAll('.tb').forEach(b => b.classList.toggle('focus', t !== '' && b.dataset.t === t));
  }
  m.addEventListener('click', act);
  m.addEventListener('keydown', e => {
    if ((e.key === 'Enter' || e.key === ' ') && e.target.matches('.x, tr.op-h, tr.sec-h')) { e.preventDefault(); act(e); }
  });
  q.addEventListener('input', apply);
  diff.addEventListener('change', apply);
  d.getElementById('expand').addEventListener('click', () => m.querySelectorAll('tbody').forEach(b => fold(b, false)));
  d.getElementById('collapse').addEventListener('click', () => m.querySelectorAll('tbody.op').forEach(b => fold(b, true)));
  apply();
})();

// The time-range picker: presets or a custom from/to, written to the URL.
import { useState, type FormEvent } from 'react';
import { formatDateTime, toDateTimeLocal } from '../lib/format.ts';
import { REFRESH_CHOICES, TIME_PRESETS, describeWindow, isRelative, presetFor } from '../lib/time-range.ts';
import { useSearchParams } from './router.tsx';
import { useTimeWindow } from './time-window.tsx';

export function TimePicker() {
  const range = useTimeWindow();
  const [, setParams] = useSearchParams();
  const preset = presetFor(range.from, range.to);
  const [custom, setCustom] = useState(false);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');

  const choose = (key: string) => {
    if (key === 'custom') {
      setFromText(toDateTimeLocal(range.fromMs));
      setToText(toDateTimeLocal(range.toMs));
      setCustom(true);
      return;
    }
    const p = TIME_PRESETS.find((x) => x.key === key);
    if (!p) return;
    setCustom(false);
    // The default window (last hour) is left out of the URL to keep links short.
    setParams({ from: p.from === 'now-1h' ? null : p.from, to: null });
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const fromMs = new Date(fromText).getTime();
    const toMs = new Date(toText).getTime();
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) return;
    setCustom(false);
    setParams({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), refresh: null });
  };

  const selectValue = custom || !preset ? 'custom' : preset.key;
  return (
    <div className="time-picker">
      <label className="visually-hidden" htmlFor="time-range">Time range</label>
      <select id="time-range" value={selectValue} onChange={(e) => choose(e.target.value)} title={`${formatDateTime(range.fromMs)} → ${formatDateTime(range.toMs)}`}>
        {TIME_PRESETS.map((p) => <option key={p.key} value={p.key}>{p.label}</option>)}
        <option value="custom">{preset || custom ? 'Custom…' : describeWindow(range.from, range.to, range)}</option>
      </select>
      {custom && (
        <form className="custom-range" onSubmit={apply}>
          <label>From <input type="datetime-local" value={fromText} onChange={(e) => setFromText(e.target.value)} required /></label>
          <label>To <input type="datetime-local" value={toText} onChange={(e) => setToText(e.target.value)} required /></label>
          <button type="submit">Apply</button>
          <button type="button" className="link-button" onClick={() => setCustom(false)}>Cancel</button>
        </form>
      )}
      {!range.valid && <span className="form-error small" role="alert">Unreadable time range in the link; showing the last hour.</span>}
    </div>
  );
}

export function RefreshPicker() {
  const range = useTimeWindow();
  const [params, setParams] = useSearchParams();
  const relative = isRelative(range.to);
  return (
    <div className="refresh-picker">
      <button type="button" onClick={range.refresh} title="Reload the data now">Refresh</button>
      <label className="visually-hidden" htmlFor="auto-refresh">Auto-refresh</label>
      <select id="auto-refresh" value={relative ? params.get('refresh') ?? '' : ''} disabled={!relative}
        title={relative ? 'Auto-refresh' : 'A fixed window does not change: auto-refresh is off'}
        onChange={(e) => setParams({ refresh: e.target.value || null }, { replace: true })}>
        {REFRESH_CHOICES.map((c) => <option key={c.key} value={c.key}>{c.key ? `Every ${c.label}` : 'Auto-refresh off'}</option>)}
      </select>
    </div>
  );
}

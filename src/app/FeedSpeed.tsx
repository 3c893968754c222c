/**
 * Header control of the replay feed: when the backend replays a recording as its live feed (`--replay`), shows
 * what it replays and lets the user pick the speed (PUT /api/feed/speed); hidden for the simulator.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { FeedSpeedResponse } from '../protocol/messages';
import { FeedSpeedApi } from '../settings/api';
import { useAppState } from '../state';

export function FeedSpeed(): ReactNode {
  const api = useMemo(() => new FeedSpeedApi((input, init) => window.fetch(input, init)), []);
  const connected = useAppState((s) => s.connection.state === 'connected');
  const [feed, setFeed] = useState<FeedSpeedResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Asked again on every (re)connection: a restarted backend may replay something else, or simulate.
  useEffect(() => {
    if (!connected) return;
    let live = true;
    void api.get().then((r) => {
      if (!live) return;
      setFeed(r.ok ? r.value : null);
      setError(null);
    });
    return () => {
      live = false;
    };
  }, [api, connected]);

  if (!feed?.replaying || feed.speed === null) return null;
  const source = feed.sources.map((s) => `${s.symbol} · ${s.venue} · ${s.file}`).join(', ');
  const choices = feed.choices.includes(feed.speed) ? feed.choices : [...feed.choices, feed.speed].sort((a, b) => a - b);

  const pick = (speed: number): void => {
    setBusy(true);
    void api.set(speed).then((r) => {
      setBusy(false);
      if (r.ok) {
        setFeed(r.value);
        setError(null);
      } else {
        setError(`Speed not changed: ${r.error.message}`);
      }
    });
  };

  return (
    <div className="feed-replay" data-testid="feed.replay" title={`Replaying ${source} as the live feed, looping`}>
      <span className="feed-replay-tag">replay</span>
      <span className="feed-replay-source" data-testid="feed.replay-source">{feed.sources.map((s) => s.file).join(', ')}</span>
      <select
        className="ctl"
        data-testid="feed.speed"
        aria-label="Replay speed"
        value={feed.speed}
        disabled={busy}
        onChange={(e) => pick(Number(e.target.value))}
      >
        {choices.map((c) => (
          <option key={c} value={c}>{c}×</option>
        ))}
      </select>
      {error && <span className="feed-replay-error" role="alert" data-testid="feed.speed-error">{error}</span>}
    </div>
  );
}

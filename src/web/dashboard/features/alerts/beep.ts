type AudioContextCtor = new () => AudioContext;

let context: AudioContext | null = null;

/**
 * A short two-tone chime made on the spot with WebAudio: no sound file to download or host. Silent when
 * the browser has no WebAudio or has not allowed sound yet (no click on the page so far).
 */
export function playBeep(): void {
  const Ctor = (globalThis as { AudioContext?: AudioContextCtor; webkitAudioContext?: AudioContextCtor }).AudioContext ??
    (globalThis as { webkitAudioContext?: AudioContextCtor }).webkitAudioContext;
  if (!Ctor) return;
  try {
    context ??= new Ctor();
    const start = context.currentTime;
    for (const [offset, frequency] of [[0, 880], [0.16, 1320]] as const) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type = 'sine';
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.14);
      osc.connect(gain).connect(context.destination);
      osc.start(start + offset);
      osc.stop(start + offset + 0.15);
    }
  } catch {
    // A browser that refuses to play now: the alert still shows.
  }
}

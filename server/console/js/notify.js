// Sound and browser notifications for a new conversation. The sound is synthesised (no media
// file), and only plays once the operator has interacted with the page, as browsers require.

let audio = null;
let soundOn = localStorage.getItem('vitrina.console.sound') !== 'off';

export function soundEnabled() { return soundOn; }
export function setSound(on) {
  soundOn = on;
  localStorage.setItem('vitrina.console.sound', on ? 'on' : 'off');
}

export function unlockAudio() {
  if (!audio) {
    try { audio = new AudioContext(); } catch { audio = null; }
  }
  if (audio?.state === 'suspended') audio.resume().catch(() => {});
}

export function chime() {
  if (!soundOn || !audio || audio.state !== 'running') return;
  const now = audio.currentTime;
  for (const [i, freq] of [880, 1320].entries()) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, now + i * 0.15);
    gain.gain.exponentialRampToValueAtTime(0.15, now + i * 0.15 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.15 + 0.3);
    osc.connect(gain).connect(audio.destination);
    osc.start(now + i * 0.15);
    osc.stop(now + i * 0.15 + 0.32);
  }
}

export function notificationsState() {
  return 'Notification' in window ? Notification.permission : 'unsupported';
}

export async function askNotifications() {
  if (!('Notification' in window)) return 'unsupported';
  return Notification.requestPermission();
}

// A system notification while the console is in the background; the text is plain text.
export function notify(title, body, onClick) {
  if (notificationsState() !== 'granted' || !document.hidden) return;
  const n = new Notification(title, { body, tag: 'vitrina-console' });
  n.addEventListener('click', () => { window.focus(); onClick?.(); n.close(); });
}

import { enableDesktop } from "../lib/notify";
import type { Prefs } from "../lib/prefs";

export function Settings({ prefs }: { prefs: Prefs }) {
  return (
    <fieldset class="card settings">
      <legend>Notifications</legend>
      <label>
        <input type="checkbox" checked={prefs.sound.value} onChange={(e) => (prefs.sound.value = e.currentTarget.checked)} />
        Play a sound for new messages
      </label>
      <label>
        <input
          type="checkbox"
          checked={prefs.desktop.value}
          onChange={async (e) => {
            const want = e.currentTarget.checked;
            prefs.desktop.value = want && (await enableDesktop());
          }}
        />
        Show desktop notifications
      </label>
      <p class="hint">Notifications name the patient but never show what they wrote.</p>
      <label>
        <input type="checkbox" checked={prefs.typing.value} onChange={(e) => (prefs.typing.value = e.currentTarget.checked)} />
        Let others see when I am typing
      </label>
    </fieldset>
  );
}

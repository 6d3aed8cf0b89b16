import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { describedBy, Field, MANAGED_NOTE } from '@/components/Field';
import type { Settings } from '@/utils/storage/settings';

type Patch = Partial<Pick<Settings, 'expiryWarningDays' | 'expiryNotifications'>>;

const WINDOWS: { days: Settings['expiryWarningDays']; label: string }[] = [
  { days: 7, label: '7 days' },
  { days: 14, label: '14 days' },
  { days: 30, label: '30 days' },
  { days: 0, label: 'Off' },
];

/**
 * When a connection counts as expiring (the badge, the list's status, a notification), and whether a
 * desktop notification says so. Part of the settings form: saved with it (save.ts). Notifications
 * need the optional `notifications` permission, asked inside the click (browsers prompt only for a
 * user gesture); refused, the box stays off and says why.
 */
export function ExpiryWarning(props: {
  days: Settings['expiryWarningDays'];
  notifications: boolean;
  /** Which of the two the organization's policy sets: shown read-only. */
  managed: { days: boolean; notifications: boolean };
  onChange: (patch: Patch) => void;
}) {
  const [refused, setRefused] = useState('');
  /** Whether the browser lets the extension notify; asked only when the organization turned notifications on. */
  const [allowed, setAllowed] = useState<boolean | null>(null);
  const orgWants = props.managed.notifications && props.notifications;
  useEffect(() => {
    if (orgWants) void browser.permissions.contains({ permissions: ['notifications'] }).then(setAllowed, () => setAllowed(false));
  }, [orgWants]);

  function toggle(event: Event) {
    const box = event.currentTarget as HTMLInputElement;
    setRefused('');
    if (!box.checked) {
      props.onChange({ expiryNotifications: false });
      return;
    }
    // Off until the browser says yes: a refusal (or a browser that cannot) leaves it off.
    box.checked = false;
    browser.permissions.request({ permissions: ['notifications'] }).then(
      (granted) => {
        if (granted) props.onChange({ expiryNotifications: true });
        else setRefused('Notifications were not allowed, so none will be shown. Tick the box again to allow them.');
      },
      () => setRefused('This browser did not let the extension ask for notifications, so none will be shown.'),
    );
  }

  return (
    <>
      <Field id="expiryWarningDays" label="Warn before expiry" hint="How early a connection’s token counts as expiring" managed={props.managed.days}>
        <select
          {...describedBy('expiryWarningDays', true, undefined, props.managed.days)}
          data-testid="expiry-window"
          value={String(props.days)}
          disabled={props.managed.days}
          onChange={(e) => props.onChange({ expiryWarningDays: Number(e.currentTarget.value) as Settings['expiryWarningDays'] })}
        >
          {WINDOWS.map((w) => (
            <option key={w.days} value={w.days}>
              {w.label}
            </option>
          ))}
        </select>
      </Field>
      <div class="row">
        <input
          id="expiryNotifications"
          type="checkbox"
          data-testid="expiry-notifications"
          checked={props.notifications}
          disabled={props.managed.notifications}
          aria-describedby={[props.managed.notifications ? 'expiryNotifications-managed' : '', refused ? 'expiryNotifications-refused' : ''].filter(Boolean).join(' ') || undefined}
          onChange={toggle}
        />
        <label for="expiryNotifications">
          Desktop notification when a connection is about to expire
          {props.managed.notifications && (
            <span class="managed" id="expiryNotifications-managed" aria-hidden="true">
              {MANAGED_NOTE}
            </span>
          )}
        </label>
      </div>
      {orgWants && allowed === false && (
        <p class="notice row" data-testid="allow-notifications">
          Your organization turned expiry notifications on; the browser shows them once you allow it.
          <button type="button" class="secondary" onClick={() => void browser.permissions.request({ permissions: ['notifications'] }).then(setAllowed, () => setAllowed(false))}>
            Allow notifications
          </button>
        </p>
      )}
      {refused && (
        <p class="hint" id="expiryNotifications-refused" role="status">
          {refused}
        </p>
      )}
    </>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { originPattern } from '@/utils/inputs';

/**
 * The Infisical instance's host permission, asked for in one click when it is missing. The options
 * page asks when a person saves an address; an address the organization's policy sets was never
 * saved, so nothing has asked yet (and no policy can grant an optional permission: docs/deploying.md).
 * The request is made inside the click, as browsers prompt only for a user gesture.
 */
export function InstanceAccess(props: { origin: string; managed: boolean; onGranted: () => void }) {
  const [granted, setGranted] = useState<boolean | null>(null);
  const [declined, setDeclined] = useState(false);
  const pattern = originPattern(props.origin);

  useEffect(() => {
    const check = () => void browser.permissions.contains({ origins: [pattern] }).then(setGranted, () => setGranted(false));
    check();
    browser.permissions.onAdded.addListener(check);
    browser.permissions.onRemoved.addListener(check);
    return () => {
      browser.permissions.onAdded.removeListener(check);
      browser.permissions.onRemoved.removeListener(check);
    };
  }, [pattern]);

  if (granted !== false) return null;
  const ask = () => {
    setDeclined(false);
    browser.permissions.request({ origins: [pattern] }).then(
      (yes) => {
        setGranted(yes);
        setDeclined(!yes);
        if (yes) props.onGranted();
      },
      () => setDeclined(true),
    );
  };
  return (
    <div class="notice stack" data-testid="instance-access" role="status">
      <p>
        {props.managed ? `Your organization set the Infisical instance to ${props.origin}.` : `The Infisical instance is ${props.origin}.`} The extension needs your permission to reach
        it: that is where it creates and keeps your Azure DevOps connections.
      </p>
      {declined && <p>The browser did not grant access, so connections cannot be created yet.</p>}
      <button type="button" data-testid="allow-instance" onClick={ask}>
        Allow access to {new URL(props.origin).host}
      </button>
    </div>
  );
}

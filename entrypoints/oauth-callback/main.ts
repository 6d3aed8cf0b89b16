import { backgroundMessaging } from '@/utils/messaging';

// Reached only through the background's redirect rule; hands the URL (code, state) back.
void backgroundMessaging.sendMessage('oauth.callback', { url: location.href });

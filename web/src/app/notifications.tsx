import '@mantine/notifications/styles.css';
import { Notifications } from '@mantine/notifications';

/** The toasts' container and styles, loaded after the first page (nothing toasts before). */
export default function AppNotifications() {
  return <Notifications position="top-right" />;
}

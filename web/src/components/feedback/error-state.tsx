import { Alert, Button, Group } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../config/paths';
import { ApiError, errorMessage } from '../../lib/api-client';

interface ErrorStateProps {
  title?: string;
  error: unknown;
  onRetry?: () => void;
}

/** A failed load: what went wrong, and a retry — except for "not found", where retrying is futile. */
export function ErrorState({
  title = 'This could not be loaded',
  error,
  onRetry,
}: ErrorStateProps) {
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <Alert color={notFound ? 'gray' : 'red'} title={notFound ? 'Not found' : title} role="alert">
      <Group justify="space-between" gap="sm">
        <span>
          {notFound
            ? `${errorMessage(error)}. It may have been deleted, or it belongs to another account.`
            : errorMessage(error)}
        </span>
        {notFound ? (
          <Button size="xs" variant="light" component={Link} to={paths.home}>
            Back to the dashboard
          </Button>
        ) : (
          onRetry && (
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              Try again
            </Button>
          )
        )}
      </Group>
    </Alert>
  );
}

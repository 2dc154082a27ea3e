import { Button, type ButtonVariant } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { paths } from '../../config/paths';
import { useCanContribute } from '../../lib/auth';

/** A button to the New search page, offered only to accounts that may add cases and footage. */
export function ContributeButton({
  children,
  variant,
}: {
  children: ReactNode;
  /** "default" where a louder button nearby is the main action. */
  variant?: ButtonVariant;
}) {
  const canContribute = useCanContribute();
  if (!canContribute) return null;
  return (
    <Button component={Link} to={paths.newSearch} variant={variant}>
      {children}
    </Button>
  );
}

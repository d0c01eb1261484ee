// A button that opens the system file picker and hands over the one file chosen (the CA certificate in
// Settings, an audio file for a greeting). The input is reset after each pick, so the same file can be
// picked again.
import Button from '@mui/material/Button';
import type { SxProps, Theme } from '@mui/material/styles';
import type { ReactNode } from 'react';

/** Props of {@link FilePickButton}. */
export interface FilePickButtonProps {
  children: ReactNode;
  /** The input's `accept` list. */
  accept: string;
  /** `data-testid` of the hidden input (tests set files on it). */
  testId: string;
  onFile(file: File): void;
  disabled?: boolean;
  size?: 'small' | 'medium';
  sx?: SxProps<Theme>;
}

/** A button over a hidden file input. */
export function FilePickButton({ children, accept, testId, onFile, disabled = false, size, sx }: FilePickButtonProps) {
  return (
    <Button component="label" disabled={disabled} {...(size !== undefined && { size })} {...(sx !== undefined && { sx })}>
      {children}
      <input
        hidden
        type="file"
        accept={accept}
        data-testid={testId}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) onFile(f);
        }}
      />
    </Button>
  );
}

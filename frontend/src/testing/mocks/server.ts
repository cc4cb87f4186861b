import { setupServer } from 'msw/node';
import { fileHandlers } from '@/testing/mocks/files';
import { handlers } from '@/testing/mocks/handlers';

export const server = setupServer(...handlers, ...fileHandlers);

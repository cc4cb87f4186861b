import { setupServer } from 'msw/node';
import { fileHandlers } from '@/testing/mocks/files';
import { handlers } from '@/testing/mocks/handlers';
import { plantHandlers } from '@/testing/mocks/plant';
import { responseLoopHandlers } from '@/testing/mocks/response-loop';

export const server = setupServer(...handlers, ...fileHandlers, ...responseLoopHandlers, ...plantHandlers);

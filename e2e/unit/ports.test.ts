import { urlHost } from '../../core/ports.ts';
import { expect, test } from '@playwright/test';

test('a server on a wildcard address is reached on loopback, in the same IP family', () => {
  expect(urlHost('0.0.0.0')).toBe('127.0.0.1');
  expect(urlHost('::')).toBe('[::1]');
});

test('an IPv6 address goes into a URL in brackets, once', () => {
  expect(urlHost('fd00::20')).toBe('[fd00::20]');
  expect(urlHost('::1')).toBe('[::1]');
  expect(urlHost('[fd00::20]')).toBe('[fd00::20]');
});

test('an IPv4 address or a host name is used as it is', () => {
  expect(urlHost('127.0.0.2')).toBe('127.0.0.2');
  expect(urlHost('192.168.1.20')).toBe('192.168.1.20');
  expect(urlHost('localhost')).toBe('localhost');
});
